"""Hostile clients against the real binary; each scenario is one CTest test:

  idle-flood    under `prlimit --nofile=1024`, 1,000 idle connections: new clients still answered
  slow-loris    1,000 connections trickling their headers: new clients still answered, and the
                header deadline closes a trickler
  malformed     a body cut short then half-closed gets 400 / 1400; oversized headers 431; an idle
                connection is closed after the idle timeout
  shutdown      a client pipelines requests and never reads; SIGTERM; the grace runs out; exit 0

Latencies are printed (p50/p99, unloaded beside loaded); nothing asserts on timing except generous
hang guards."""
import os
import selectors
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from launch import ZONE, Emulator, binary, closed_by_peer, percentile, raise_own_descriptor_limit  # noqa: E402

NOFILE = 1024
HOSTILE_CONNECTIONS = 1000
SAMPLES = 60
CLIENT_TIMEOUT = 20  # a request that takes this long has stalled (the defect took ~29 s)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def normal_requests(emulator, count=SAMPLES):
    """Alternates a health probe and an authenticated list, each on a new connection; returns
    latencies in ms and asserts every one was answered 200."""
    latencies = []
    for i in range(count):
        path = "/_emulator/health" if i % 2 == 0 else f"/client/v4/zones/{ZONE}/custom_csrs"
        started = time.monotonic()
        status, body = emulator.request("GET", path, timeout=CLIENT_TIMEOUT)
        latencies.append((time.monotonic() - started) * 1000)
        check(status == 200, f"GET {path}: {status} {body}")
    return latencies


def show(label, samples):
    print(f"{label:<44} p50 {percentile(samples, 50):8.2f} ms   p99 {percentile(samples, 99):8.2f} ms"
          f"   ({len(samples)} requests)", flush=True)


def connect(emulator):
    s = socket.create_connection((emulator.host, emulator.port), timeout=CLIENT_TIMEOUT)
    s.setblocking(False)
    return s


def scenario_idle_flood(work):
    emulator = Emulator(os.path.join(work, "db.sqlite3"), nofile=NOFILE)
    try:
        check(f"event=connection_limit max_connections={NOFILE - 64} nofile={NOFILE}" in emulator.log_text(),
              "the connection limit is not the descriptor limit less 64:\n" + emulator.log_text())
        show("unloaded", normal_requests(emulator))
        idle = [connect(emulator) for _ in range(HOSTILE_CONNECTIONS)]
        loaded = normal_requests(emulator)
        show(f"with {HOSTILE_CONNECTIONS} idle connections (nofile {NOFILE})", loaded)
        shed = sum(closed_by_peer(s) for s in idle)
        print(f"idle connections closed to make room: {shed} of {HOSTILE_CONNECTIONS}")
        check(shed > 0, "the server held every idle connection open")
        for s in idle:
            s.close()
        check(emulator.terminate() == 0, "exit code after SIGTERM")
        check("accept_failed" not in emulator.log_text(), "descriptors ran out:\n" + emulator.log_text()[-2000:])
    finally:
        if emulator.process.poll() is None:
            emulator.kill()


class Tricklers:
    """Many connections sending a request's headers one byte at a time; a closed one is replaced,
    so the pressure stays on while the normal requests run."""

    HEADER = b"GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: " + b"a" * 4000

    def __init__(self, emulator, count, interval):
        self.emulator, self.interval = emulator, interval
        self.sockets = [self._open() for _ in range(count)]
        self.replaced = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _open(self):
        s = connect(self.emulator)
        return [s, 0]

    def _run(self):
        while not self.stopping.is_set():
            for entry in self.sockets:
                s, sent = entry
                try:
                    s.send(self.HEADER[sent % len(self.HEADER):][:1])
                    entry[1] = sent + 1
                except OSError:
                    s.close()
                    try:
                        entry[:] = self._open()
                        self.replaced += 1
                    except OSError:
                        pass
            self.stopping.wait(self.interval)

    def stop(self):
        self.stopping.set()
        self.thread.join()
        for s, _ in self.sockets:
            s.close()


def scenario_slow_loris(work):
    header_timeout_ms = 2000
    emulator = Emulator(os.path.join(work, "db.sqlite3"), nofile=NOFILE,
                        args=["--header-timeout-ms", str(header_timeout_ms)])
    try:
        show("unloaded", normal_requests(emulator))
        tricklers = Tricklers(emulator, HOSTILE_CONNECTIONS, interval=0.2)
        try:
            time.sleep(1)  # the tricklers' load is what is measured: let it build for a second first
            loaded = normal_requests(emulator)
        finally:
            tricklers.stop()
        show(f"with {HOSTILE_CONNECTIONS} trickling connections (nofile {NOFILE})", loaded)
        print(f"trickling connections closed by the server and reopened: {tricklers.replaced}")

        # One slow-loris alone: the header deadline closes it while it is still trickling.
        s = connect(emulator)
        started = time.monotonic()
        closed_after = None
        for i in range(10 * header_timeout_ms // 100):
            try:
                s.send(Tricklers.HEADER[i:i + 1])
            except OSError:
                closed_after = time.monotonic() - started
                break
            if closed_by_peer(s):
                closed_after = time.monotonic() - started
                break
            time.sleep(0.1)  # the trickle itself: one header byte every 100 ms, as a slow loris sends
        s.close()
        check(closed_after is not None, "a connection trickling its headers was never closed")
        print(f"slow-loris closed {closed_after:.2f} s after its first byte (header deadline {header_timeout_ms} ms)")
        check(emulator.terminate() == 0, "exit code after SIGTERM")
    finally:
        if emulator.process.poll() is None:
            emulator.kill()


def read_all(s, timeout=CLIENT_TIMEOUT):
    s.settimeout(timeout)
    data = b""
    while True:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    return data


def parse_response(data):
    import json
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.1 ") else None
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body


def scenario_malformed(work):
    # Settings come from flags and from CSR_EMULATOR_* variables; a bad value is a usage error.
    usage = subprocess.run([binary(), "--header-timeout-ms", "5"], capture_output=True, text=True)
    check(usage.returncode == 2 and "--header-timeout-ms" in usage.stderr, f"bad value: {usage}")
    emulator = Emulator(os.path.join(work, "db.sqlite3"),
                        args=["--max-header-bytes", "2048", "--idle-timeout-ms", "500"],
                        env={"CSR_EMULATOR_MAX_CONNECTIONS": "100", "CSR_EMULATOR_HEADER_TIMEOUT_MS": "3000"})
    try:
        log = emulator.log_text()
        check("max_connections=100 idle_timeout_ms=500 header_timeout_ms=3000" in log, f"settings not applied:\n{log}")
        # A body shorter than its Content-Length, then the client half-closes.
        s = socket.create_connection((emulator.host, emulator.port))
        s.sendall(f"POST /client/v4/zones/{ZONE}/custom_csrs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\n"
                  "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"common_".encode())
        s.shutdown(socket.SHUT_WR)
        status, body = parse_response(read_all(s))
        s.close()
        check(status == 400, f"cut-short body: status {status}: {body!r}")
        check(body["success"] is False and body["errors"][0]["code"] == 1400, f"cut-short body: {body!r}")
        print(f"cut-short body: 400 {body['errors']}")

        # Headers over --max-header-bytes.
        s = socket.create_connection((emulator.host, emulator.port))
        s.sendall(b"GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 4096 + b"\r\n\r\n")
        status, body = parse_response(read_all(s))
        s.close()
        check(status == 431, f"oversized headers: {status} {body!r}")
        check(body["errors"][0]["code"] == 1400, f"oversized headers: {body!r}")

        # A kept-alive connection that sends nothing is closed after the idle timeout.
        s = socket.create_connection((emulator.host, emulator.port))
        started = time.monotonic()
        check(read_all(s) == b"", "idle connection got data")
        idle_seconds = time.monotonic() - started
        s.close()
        print(f"idle connection closed after {idle_seconds:.2f} s (idle timeout 500 ms)")
        check(idle_seconds < CLIENT_TIMEOUT - 1, "idle connection was not closed")

        status, _ = emulator.request("GET", "/_emulator/health")
        check(status == 200, "server still serving")
        check(emulator.terminate() == 0, "exit code after SIGTERM")
    finally:
        if emulator.process.poll() is None:
            emulator.kill()


def pipeline_without_reading(emulator):
    """Small requests with large answers (the CA root) until the server stops reading: its send
    buffer is full and its write stays pending, so the session is busy when the grace runs out."""
    s = socket.create_connection((emulator.host, emulator.port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    request = b"GET /_emulator/ca/root.pem HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    s.setblocking(False)
    sent = 0
    # Stuck when nothing more goes out for 2 s (a slow server, e.g. a sanitized build, only
    # pauses the sending); 60 s at most.
    last_progress = started = time.monotonic()
    while time.monotonic() - last_progress < 2 and time.monotonic() - started < 60:
        try:
            sent += s.send(request * 100)
            last_progress = time.monotonic()
        except BlockingIOError:
            time.sleep(0.1)  # the socket is full: give the server a moment to read before trying again
    return s, sent


def scenario_shutdown(work):
    """The lifetime bug: a session still alive when the shutdown grace runs out is destroyed with
    the io_context; it must not touch the connection registry after that is gone."""
    # A short grace: this scenario waits for it to run out.
    emulator = Emulator(os.path.join(work, "db.sqlite3"), ["--shutdown-grace-ms", "1000"])
    try:
        # Some connections at once first: the registry grows past one entry (a registry used after
        # its destruction then reads freed memory, which AddressSanitizer reports).
        warmup = [socket.create_connection((emulator.host, emulator.port)) for _ in range(16)]
        for w in warmup:
            w.close()
        stuck = [pipeline_without_reading(emulator) for _ in range(3)]
        print(f"pipelined {sum(sent for _, sent in stuck)} bytes of requests on {len(stuck)} connections "
              "without reading a response")
        started = time.monotonic()
        code = emulator.terminate()
        print(f"SIGTERM -> exit {code} after {time.monotonic() - started:.2f} s")
        log = emulator.log_text()
        for s, _ in stuck:
            s.close()
        check(code == 0, f"exit code {code} after SIGTERM:\n{log[-3000:]}")
        check("event=shutdown_deadline" in log, "the grace did not run out with the session alive:\n" + log[-2000:])
        check("grace_ms=1000" in log, "the grace is not the --shutdown-grace-ms given:\n" + log[-2000:])
        check("event=stopped" in log, "no clean stop logged")
    finally:
        if emulator.process.poll() is None:
            emulator.kill()


SCENARIOS = {"idle-flood": scenario_idle_flood, "slow-loris": scenario_slow_loris,
             "malformed": scenario_malformed, "shutdown": scenario_shutdown}

if __name__ == "__main__":
    raise_own_descriptor_limit(4 * HOSTILE_CONNECTIONS)
    with tempfile.TemporaryDirectory(prefix="csr-emulator-hostile-") as work:
        SCENARIOS[sys.argv[1]](work)
    print("PASS")
