#!/usr/bin/python3
"""The journal's memory under the probe's load of issue #25 (a benchmark, not a test).

Starts the emulator binary on port 0 with a temporary database and --key-pool 0, then:
  1. POSTs --entries bodies of --size bytes (a JSON document the route refuses; still journaled),
  2. reads GET /_emulator/journal once, whole (following next_after when the binary pages),
  3. reads it whole again with --readers clients at once.
Prints the answer's size, the time of each read, and the server's peak resident memory (VmHWM from
/proc/PID/status) after each step. A watcher kills the server if its RSS passes --rss-cap-mb, so
an unbounded binary cannot take the machine down; the step is then reported as over the cap.

Usage:
  /usr/bin/python3 tests/bench/journal_memory.py [path/to/csr-emulator] [--entries 1000]
      [--size 1000000] [--readers 4] [--rss-cap-mb 8000] [--server-flags '--journal-bytes N ...']
"""
import argparse
import http.client
import json
import os
import shlex
import signal
import subprocess
import tempfile
import threading
import time

ZONE = "023e105f4ecef8ad9ca31a8372d0c353"
AUTH = {"Authorization": "Bearer bench", "Content-Type": "application/json"}


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class Watcher(threading.Thread):
    """Samples the server's RSS; kills it past the cap."""

    def __init__(self, proc, cap_kb):
        super().__init__(daemon=True)
        self.proc, self.cap_kb, self.killed, self.stop = proc, cap_kb, False, threading.Event()

    def run(self):
        while not self.stop.wait(0.05):
            try:
                if status_kb(self.proc.pid, "VmRSS") > self.cap_kb:
                    self.killed = True
                    self.proc.kill()
                    return
            except FileNotFoundError:
                return


def read_journal(host, port):
    """Reads the whole journal, page by page if the binary pages; returns (bytes, entries)."""
    total_bytes, entries, after = 0, 0, None
    conn = http.client.HTTPConnection(host, port, timeout=600)
    while True:
        path = "/_emulator/journal" + (f"?after={after}" if after is not None else "")
        conn.request("GET", path)
        response = conn.getresponse()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        # Kept only to count entries and find next_after: the reader's memory is not measured.
        data = response.read()
        total_bytes += len(data)
        body = json.loads(data)
        entries += len(body["result"])
        after = (body.get("result_info") or {}).get("next_after")
        if after is None:
            return total_bytes, entries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default="build/server/csr-emulator")
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--rss-cap-mb", type=int, default=8000)
    parser.add_argument("--server-flags", default="", help="extra flags for the server, e.g. '--journal-bytes 1073741824'")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen([args.binary, "--listen", "127.0.0.1:0", "--db", os.path.join(tmp, "db.sqlite3"),
                                 "--key-pool", "0", "--log-level", "warn", *shlex.split(args.server_flags)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = proc.stdout.readline().strip()
        if not line.startswith("csr-emulator listening on http://"):
            raise SystemExit("emulator did not start: " + line)
        host, port = line.rsplit("/", 1)[-1].rsplit(":", 1)
        port = int(port)
        watcher = Watcher(proc, args.rss_cap_mb * 1024)
        watcher.start()

        def report(step, seconds=None, extra=""):
            if watcher.killed:
                print(f"{step:<34} over the cap: RSS passed {args.rss_cap_mb} MB, server killed")
                return False
            hwm = status_kb(proc.pid, "VmHWM") / 1024
            rss = status_kb(proc.pid, "VmRSS") / 1024
            timing = f"  {seconds:7.2f} s" if seconds is not None else " " * 11
            print(f"{step:<34}{timing}  VmHWM {hwm:7.1f} MB  VmRSS {rss:7.1f} MB  {extra}")
            return True

        try:
            print(f"binary: {args.binary} {args.server_flags}  load: {args.entries} x {args.size} bytes, then 1 reader, "
                  f"then {args.readers} readers at once")
            report("started")
            body = json.dumps({"note": "x" * (args.size - 12)})
            conn = http.client.HTTPConnection(host, port, timeout=600)
            start = time.perf_counter()
            for _ in range(args.entries):
                conn.request("POST", f"/client/v4/zones/{ZONE}/custom_csrs", body=body, headers=AUTH)
                conn.getresponse().read()
            if not report(f"after {args.entries} POSTs", time.perf_counter() - start):
                return

            start = time.perf_counter()
            try:
                size, entries = read_journal(host, port)
            except Exception as error:  # the server killed by the watcher
                report("one full read", time.perf_counter() - start, f"({error})")
                return
            if not report("one full read", time.perf_counter() - start, f"answer {size / 1e6:.1f} MB, {entries} entries"):
                return

            results, errors = [], []

            def reader():
                try:
                    results.append(read_journal(host, port))
                except Exception as error:
                    errors.append(error)

            threads = [threading.Thread(target=reader) for _ in range(args.readers)]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            report(f"{args.readers} readers at once", time.perf_counter() - start,
                   f"{len(results)} whole answers" + (f", {len(errors)} failed ({errors[0]!r})" if errors else ""))
        finally:
            watcher.stop.set()
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)


if __name__ == "__main__":
    main()
