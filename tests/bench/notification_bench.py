#!/usr/bin/python3
"""Webhook delivery figures for csr-emulator (a benchmark, not a test).

Starts the emulator (--validation manual) on port 0 with a temporary database and a receiver (a
ThreadingHTTPServer answering 200) on loopback, subscribes it to the SaaS alert, then measures:
  - latency: N hostnames each moved pending_validation -> pending_issuance by
    advance_certificate (validation.succeeded); from sending the move to the event's arrival,
  - throughput: M events fired back to back (POST .../notify); events delivered per second from
    the first fire to the last arrival.
Usage: /usr/bin/python3 tests/bench/notification_bench.py [path/to/csr-emulator] [--n 50] [--m 1000]
"""
import http.client
import http.server
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ZONE = "023e105f4ecef8ad9ca31a8372d0c353"
ACCOUNT = ZONE  # the emulator's default account
AUTH = {"Authorization": "Bearer bench", "Content-Type": "application/json"}
arrivals = {}  # event id -> arrival time (perf_counter)
lock = threading.Lock()


class Receiver(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        now = time.perf_counter()
        if "data" in body:
            with lock:
                arrivals.setdefault(body["data"]["metadata"]["event"]["id"], now)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def call(conn, method, path, body=None):
    conn.request(method, path, None if body is None else json.dumps(body), AUTH)
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        raise SystemExit(f"{method} {path}: {response.status} {data[:300]!r}")
    return json.loads(data)


def eventually(holds, limit=60):
    deadline = time.monotonic() + limit
    while not holds():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for deliveries")
        time.sleep(0.001)


def main():
    args = sys.argv[1:]
    binary = args[0] if args and not args[0].startswith("--") else "build/server/csr-emulator"
    n = int(args[args.index("--n") + 1]) if "--n" in args else 50
    m = int(args[args.index("--m") + 1]) if "--m" in args else 1000
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--db", os.path.join(tmp, "db.sqlite3"),
                                 "--log-level", "warn", "--validation", "manual"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = proc.stdout.readline().strip()
        host, port = line.rsplit("/", 1)[-1].rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port))
        try:
            base = f"/client/v4/accounts/{ACCOUNT}/alerting/v3"
            url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
            hook = call(conn, "POST", base + "/destinations/webhooks", {"name": "bench", "url": url})["result"]["id"]
            call(conn, "POST", base + "/policies", {"name": "bench", "alert_type": "custom_ssl_certificate_event_type",
                                                    "enabled": True, "mechanisms": {"webhooks": [{"id": hook}]}})
            manual = f"/_emulator/zones/{ZONE}/custom_hostnames/"
            ids = []
            for i in range(n):
                h = call(conn, "POST", f"/client/v4/zones/{ZONE}/custom_hostnames",
                         {"hostname": f"b{i}.acme.io", "ssl": {"method": "txt", "type": "dv"}})["result"]["id"]
                call(conn, "POST", manual + h + "/advance_certificate", {})  # -> pending_validation: no event
                ids.append(h)
            latencies = []
            for h in ids:
                before = set(arrivals)
                sent = time.perf_counter()
                call(conn, "POST", manual + h + "/advance_certificate", {})  # validation.succeeded
                eventually(lambda: len(arrivals) > len(before))
                with lock:
                    new = [t for k, t in arrivals.items() if k not in before]
                latencies.append((new[0] - sent) * 1000)
            fired = []
            start = time.perf_counter()
            for i in range(m):
                fired.append(call(conn, "POST", manual + ids[i % n] + "/notify", {"event": "issuance.failed"})["result"]["id"])
            fired_in = time.perf_counter() - start
            eventually(lambda: all(f in arrivals for f in fired))
            last = max(arrivals[f] for f in fired)
            rate = m / (last - start)
            print(f"latency after a status change (n={n}): median {statistics.median(latencies):.2f} ms, "
                  f"p90 {sorted(latencies)[int(0.9 * len(latencies)) - 1]:.2f} ms, max {max(latencies):.2f} ms")
            print(f"throughput (m={m} events fired back to back): {rate:.0f} events/s delivered "
                  f"({last - start:.2f} s from the first fire to the last arrival; firing took {fired_in:.2f} s)")
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=10)
            receiver.shutdown()


if __name__ == "__main__":
    main()
