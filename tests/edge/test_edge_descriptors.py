"""The edge at the descriptor limit: under `prlimit --nofile=1024`, 1,100 connections each send
half a ClientHello and stop. The edge holds at most its connection limit (a quarter of the
descriptors left after the reserve: 240), closing the oldest unfinished handshakes to make room,
so descriptors never run out and a real visitor arriving after the flood gets its page at once
rather than after the 10 s handshake deadline has freed some.

Nothing asserts on timing: the visitor's latency is printed; curl's --max-time is a hang guard.
Run through ctest (CSR_EMULATOR_BINARY is set there)."""
import os
import socket
import subprocess
import sys
import time

from edge_fixture import EchoOrigin, Emulator, run_suite
from client_sockets import closed_by_peer, raise_own_descriptor_limit  # tests/support, put on the path by edge_fixture

NOFILE = 1024
FLOOD = 1100
NAME = "shop.customer-test.io"
ORIGIN = "origin.saas-test.io"
HANG_GUARD = 60

# A TLS record announcing a 512-byte ClientHello, cut off after the client version and part of
# its random: the server has to wait for the rest.
HALF_CLIENT_HELLO = bytes.fromhex("1603010200" "010001fc" "0303") + os.urandom(20)


def visit(edge):
    started = time.monotonic()
    p = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", str(HANG_GUARD),
                        "--resolve", f"{NAME}:{edge.edge_port}:127.0.0.1", "--cacert", edge.root_pem,
                        f"https://{NAME}:{edge.edge_port}/after-the-flood"],
                       capture_output=True, timeout=HANG_GUARD + 10)
    return p.stdout.decode(), p.stderr.decode(), (time.monotonic() - started) * 1000


def test_half_sent_client_hellos_do_not_lock_out_a_visitor(edge):
    expected = (NOFILE - 64) // 4
    status, err, unloaded_ms = visit(edge)
    assert status == "200", (status, err)
    baseline_kib = edge.peak_rss_kib()

    flood = []
    try:
        for _ in range(FLOOD):
            s = socket.create_connection(("127.0.0.1", edge.edge_port), timeout=HANG_GUARD)
            try:
                s.sendall(HALF_CLIENT_HELLO)
            except OSError:
                pass  # already shed: the server made room for a later one
            flood.append(s)
        status, err, loaded_ms = visit(edge)
        peak_kib = edge.peak_rss_kib()
        shed = sum(closed_by_peer(s) for s in flood)
    finally:
        for s in flood:
            s.close()
    print(f"     visitor: {unloaded_ms:.1f} ms unloaded, {loaded_ms:.1f} ms after {FLOOD} half-sent ClientHellos; "
          f"{shed} of them closed to make room; edge VmHWM {baseline_kib} KiB -> {peak_kib} KiB")
    assert status == "200", (status, err)
    log = edge.log()
    assert "accept_failed" not in log, "descriptors ran out:\n" + log[-2000:]
    assert shed >= FLOOD - expected, f"only {shed} half-open handshakes were closed to make room"
    assert "event=edge_connection_limit action=shed" in log, log[-2000:]
    assert f"event=edge_connection_limit max_connections={expected} " in log, log
    # Half of what is left for the API (with the edge on, it shares the descriptors).
    assert f"event=connection_limit max_connections={(NOFILE - 64) // 2} nofile={NOFILE}" in log, log


def main():
    raise_own_descriptor_limit(4 * FLOOD)
    origin = EchoOrigin()
    edge = Emulator(["--edge-origin-port", str(origin.port), "--edge-resolve", f"{ORIGIN}:127.0.0.1"], nofile=NOFILE)
    try:
        edge.serve(NAME, ORIGIN)
        return run_suite(globals(), edge)
    finally:
        edge.stop()
        origin.stop()


if __name__ == "__main__":
    sys.exit(main())
