#!/usr/bin/python3
"""Webhook delivery figures for csr-emulator (a benchmark, not a test).

Starts the emulator (--validation manual) on port 0 with a temporary database and a receiver
(webhook_receiver.py, its own process) on loopback, subscribes it to the SaaS alert, then measures:
  - latency: N hostnames each moved pending_validation -> pending_issuance by
    advance_certificate (validation.succeeded); from sending the move to the event's arrival,
  - throughput: events fired by wrk for a few seconds (POST .../notify); events delivered per
    second from the first fire to the last arrival.
Usage: /usr/bin/python3 tests/bench/notification_bench.py [path/to/csr-emulator] [--n 50] [--seconds 2] [--json FILE]
"""
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webhook_receiver import WebhookReceiver  # noqa: E402

ZONE = "023e105f4ecef8ad9ca31a8372d0c353"
ACCOUNT = ZONE  # the emulator's default account
AUTH = {"Authorization": "Bearer bench", "Content-Type": "application/json"}
def fire_with_wrk(api, path, seconds):
    """POST .../notify as fast as wrk can for `seconds`: the number of events fired, or None
    without wrk. Firing from Python (about 1,200/s) would be slower than the deliveries, and so
    was wrk with 1 thread and 4 connections (2,147/s fired, the deliveries keeping up): 2 threads
    and 16 connections keep more notify calls in the emulator at once."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write('wrk.method = "POST"\nwrk.body = \'{"event": "issuance.failed"}\'\n'
                 'wrk.headers["Content-Type"] = "application/json"\n'
                 'wrk.headers["Authorization"] = "Bearer bench"\n')
    script.close()
    try:
        out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", script.name, api + path],
                             capture_output=True, text=True).stdout
    except FileNotFoundError:
        return None
    finally:
        os.unlink(script.name)
    if "Non-2xx" in out:
        raise SystemExit("wrk: some notify calls failed:\n" + out)
    return int(re.search(r"(\d+) requests in", out).group(1))


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
        time.sleep(0.002)


def main():
    args = sys.argv[1:]
    binary = args[0] if args and not args[0].startswith("--") else "build/server/csr-emulator"
    n = int(args[args.index("--n") + 1]) if "--n" in args else 50
    seconds = int(args[args.index("--seconds") + 1]) if "--seconds" in args else 2
    json_file = args[args.index("--json") + 1] if "--json" in args else None
    receiver = WebhookReceiver()
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--db", os.path.join(tmp, "db.sqlite3"),
                                 "--log-level", "warn", "--validation", "manual"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = proc.stdout.readline().strip()
        host, port = line.rsplit("/", 1)[-1].rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port))
        try:
            base = f"/client/v4/accounts/{ACCOUNT}/alerting/v3"
            hook = call(conn, "POST", base + "/destinations/webhooks", {"name": "bench", "url": receiver.url})["result"]["id"]
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
                before = set(receiver.events())
                sent = time.perf_counter()
                call(conn, "POST", manual + h + "/advance_certificate", {})  # validation.succeeded
                eventually(lambda: len(receiver.events()) > len(before))
                new = [a.at for k, a in receiver.events().items() if k not in before]
                latencies.append((new[0] - sent) * 1000)
            before = len(receiver.events())
            start = time.perf_counter()
            fired = fire_with_wrk(f"http://{host}:{port}", manual + ids[0] + "/notify", seconds)
            fired_in = time.perf_counter() - start
            if fired is None:
                raise SystemExit("throughput needs wrk (Debian package wrk)")
            eventually(lambda: len(receiver.events()) - before >= fired)
            last = max(a.at for a in receiver.events().values())
            rate = fired / (last - start)
            print(f"latency after a status change (n={n}): median {statistics.median(latencies):.2f} ms, "
                  f"p90 {sorted(latencies)[int(0.9 * len(latencies)) - 1]:.2f} ms, max {max(latencies):.2f} ms")
            print(f"throughput ({fired} events fired by wrk in {fired_in:.2f} s): {rate:.0f} events/s delivered "
                  f"({last - start:.2f} s from the first fire to the last arrival)")
            if json_file:
                with open(json_file, "w") as f:
                    json.dump({"latency_p50_ms": statistics.median(latencies), "events_per_s": rate,
                               "fired_per_s": fired / fired_in}, f, indent=1)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=10)
            receiver.stop()


if __name__ == "__main__":
    main()
