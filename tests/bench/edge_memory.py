#!/usr/bin/python3
"""The edge's peak memory (VmHWM of the process) under the loads of the edge probe, for one or
more builds side by side (a benchmark, not a test: it never fails on a figure).

Each load runs on a freshly started emulator, so each peak is that load's alone:
  idle          the emulator with its edge and one hostname, after one request through it
  handshakes    under `prlimit --nofile=1024`: 1,100 connections each send half a ClientHello and
                stop; then a visitor asks for a page (its latency and status are shown)
  upload        a 100 MB POST (Content-Length) through the TLS edge to an origin that hashes it
  download      a 100 MB answer (Content-Length) from the origin through the TLS edge
  upload-30MB, download-60MB   the same within the limits of the edge before streaming (it
                refused bodies over 32 MiB up and 64 MiB down, before reading them)

Usage:
  /usr/bin/python3 tests/bench/edge_memory.py LABEL=path/to/csr-emulator [LABEL=path ...]
"""
import argparse
import os
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "edge"))
from edge_fixture import Emulator  # noqa: E402
from test_edge_descriptors import HALF_CLIENT_HELLO, raise_own_descriptor_limit  # noqa: E402
from test_edge_proxy import NAME, ORIGIN, Origin, pattern_blocks, pattern_digest, request  # noqa: E402

SIZE = 100 * 1000 * 1000
FLOOD = 1100


def start(binary, origin, nofile=None):
    os.environ["CSR_EMULATOR_BINARY"] = binary
    edge = Emulator(["--edge-origin-port", str(origin.port), "--edge-resolve", f"{ORIGIN}:127.0.0.1"], nofile=nofile)
    edge.serve(NAME, ORIGIN)
    r = request(edge, ["GET /warm-up HTTP/1.1", f"Host: {NAME}"])
    assert r.status == 200, r.status
    return edge


def visit(edge):
    started = time.monotonic()
    p = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "60",
                        "--resolve", f"{NAME}:{edge.edge_port}:127.0.0.1", "--cacert", edge.root_pem,
                        f"https://{NAME}:{edge.edge_port}/visitor"], capture_output=True, timeout=70)
    return p.stdout.decode() or "none", (time.monotonic() - started) * 1000


def load_idle(edge):
    return "served"


def load_handshakes(edge):
    flood = []
    try:
        for _ in range(FLOOD):
            s = socket.create_connection(("127.0.0.1", edge.edge_port), timeout=60)
            try:
                s.sendall(HALF_CLIENT_HELLO)
            except OSError:
                pass
            flood.append(s)
        status, ms = visit(edge)
    finally:
        for s in flood:
            s.close()
    return f"visitor {status} in {ms:.0f} ms"


def load_upload(edge, size=SIZE):
    try:
        r = request(edge, ["POST /upload HTTP/1.1", f"Host: {NAME}", f"Content-Length: {size}"], pattern_blocks(size))
    except OSError as e:
        return f"connection failed ({e.__class__.__name__})"
    ok = r.status == 200 and f'"sha256": "{pattern_digest(size)}"' in r.body().decode(errors="replace")
    return f"{r.status}{' (intact)' if ok else ''}"


def load_download(edge, size=SIZE):
    r = request(edge, [f"GET /download?bytes={size} HTTP/1.1", f"Host: {NAME}"])
    ok = r.status == 200 and r.complete and r.size == size and r.sha256 == pattern_digest(size)
    return f"{r.status}{' (intact)' if ok else f' ({r.size} bytes)'}"


# The probe's loads, then bodies the old edge accepted (it refused over 32 MiB up, 64 MiB down).
LOADS = [("idle", load_idle, None), ("handshakes", load_handshakes, 1024), ("upload", load_upload, None),
         ("download", load_download, None),
         ("upload-30MB", lambda edge: load_upload(edge, 30 * 1000 * 1000), None),
         ("download-60MB", lambda edge: load_download(edge, 60 * 1000 * 1000), None)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("builds", nargs="+", help="LABEL=path/to/csr-emulator")
    args = parser.parse_args()
    raise_own_descriptor_limit(4 * FLOOD)
    origin = Origin()
    rows = []
    try:
        for build in args.builds:
            label, _, binary = build.partition("=")
            for name, load, nofile in LOADS:
                edge = start(binary, origin, nofile)
                try:
                    outcome = load(edge)
                    peak = edge.peak_rss_kib()
                finally:
                    edge.stop()
                rows.append((label, name, peak, outcome))
                print(f"{label:<8} {name:<14} VmHWM {peak / 1024:7.1f} MiB   {outcome}", flush=True)
    finally:
        origin.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
