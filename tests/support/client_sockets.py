"""What a suite that holds many connections of its own needs (the edge's descriptor test, the
hostile clients): room for its sockets, and a look at whether the server closed one.
"""
import resource


def raise_own_descriptor_limit(wanted):
    """This client holds many sockets itself; lift its own soft (and, as root, hard) limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= wanted:
        return
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, max(hard, wanted)))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def closed_by_peer(s):
    """True when the server has closed `s` (end of stream or a reset), without waiting: the
    socket is left non-blocking, and whatever was pending on it is read and dropped."""
    s.setblocking(False)
    try:
        return s.recv(65536) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
