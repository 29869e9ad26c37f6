"""The one poll loop of the python suites (clients, edge): waiting for the emulator to do
something (a settler, a worker, a log line), never for time to pass inside it: that is
POST /_emulator/clock {"advance": ...}. C++ tests have the same in eventually.hpp, node suites in
tests/clients/emulator.mjs.
"""
import time


def eventually(read, done=bool, what="the awaited condition", timeout=30, pause=0.02):
    """Calls `read` until `done` holds for what it returned, and returns that; after `timeout`
    seconds without, fails naming `what` and the last read."""
    deadline = time.monotonic() + timeout
    while True:
        past = time.monotonic() >= deadline
        last = read()
        if done(last):
            return last
        if past:
            raise AssertionError(f"{what}: not seen within {timeout} s; last read: {last!r}")
        time.sleep(pause)  # the pause between looks; nothing to wait on instead
