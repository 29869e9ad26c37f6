#!/usr/bin/python3
"""A mass renewal (a benchmark, not a test): N active DV hostnames, one clock jump past their
renewal, and what the emulator does with it.

Starts the emulator (--validation auto, step 0) on port 0 with a temporary database, makes one DV
hostname through the API, seeds N copies of it (each its own id, ssl id and name; PUT
/_emulator/state), subscribes a local webhook receiver to the SaaS alert, then:
  - API GET one custom hostname, one keep-alive client in a process of its own: p50 / p99 idle, then while the jump's
    renewals run;
  - POST /_emulator/clock {"advance": "61d"}: seconds until the last hostname's renewed pair was
    active (its deployment.succeeded's created_at), with no API read of the hostnames;
  - the jump's events (upcoming expiration, renewal.succeeded, deployment.succeeded: 3 per
    hostname) delivered per second, from the first arrival to the last.
Usage: /usr/bin/python3 tests/bench/renewal_bench.py [path/to/csr-emulator] [--n 1000] [--json FILE]
"""
import argparse
import copy
import datetime
import http.client
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import notification_bench as hooks  # noqa: E402  (call, eventually)
from webhook_receiver import WebhookReceiver  # noqa: E402

ZONE = hooks.ZONE
AUTH = hooks.AUTH


def _get_loop(host, port, path, stop, results):
    """In a process of its own: GET `path` one after another until `stop` is set; the latencies (ms)."""
    conn = http.client.HTTPConnection(host, port)
    out = []
    while not stop.is_set():
        start = time.perf_counter()
        conn.request("GET", path, None, AUTH)
        response = conn.getresponse()
        response.read()
        out.append((time.perf_counter() - start) * 1000)
    results.put(out)


class Latencies:
    """GETs of one path, one after another, from a process of its own: in this one they shared the
    GIL with the wait for the renewals (it reads the receiver's log every 50 ms), whose turns
    showed up in the GETs' p99 during the renewals but not in the idle one."""

    def __init__(self, host, port, path):
        self._stop, self._results = multiprocessing.Event(), multiprocessing.Queue()
        self._process = multiprocessing.Process(target=_get_loop, args=(host, port, path, self._stop, self._results))
        self._process.start()

    def stop(self):
        self._stop.set()
        out = self._results.get(timeout=60)
        self._process.join()
        return out


def parse_time(text):
    """RFC 3339 with microseconds ("2027-02-03T04:05:06.123456Z") to Unix seconds."""
    return datetime.datetime.strptime(text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def p(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default="build/server/csr-emulator")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    receiver = WebhookReceiver()
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen([args.binary, "--listen", "127.0.0.1:0", "--db", os.path.join(tmp, "db.sqlite3"),
                                 "--log-level", "warn", "--validation", "auto", "--validation-step", "0",
                                 "--max-body", str(64 << 20)],  # the seed of N hostnames
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        host, port = proc.stdout.readline().strip().rsplit("/", 1)[-1].rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port))
        try:
            made = hooks.call(conn, "POST", f"/client/v4/zones/{ZONE}/custom_hostnames",
                              {"hostname": "r0.acme.io", "ssl": {"method": "txt", "type": "dv"}})["result"]
            path = f"/client/v4/zones/{ZONE}/custom_hostnames/{made['id']}"
            hooks.eventually(lambda: hooks.call(conn, "GET", path)["result"]["ssl"].get("status") == "active")
            document = hooks.call(conn, "GET", "/_emulator/state?include_private_keys=true")["result"]
            row = document["custom_hostnames"][0]
            for i in range(1, args.n):
                copied = copy.deepcopy(row)
                copied.update(id=str(uuid.uuid4()), ssl_id=str(uuid.uuid4()), hostname=f"r{i}.acme.io",
                              ownership_token=str(uuid.uuid4()))
                document["custom_hostnames"].append(copied)
            hooks.call(conn, "PUT", "/_emulator/state", document)
            total = hooks.call(conn, "GET", f"/client/v4/zones/{ZONE}/custom_hostnames")["result_info"]["total_count"]
            assert total == args.n, total
            base = f"/client/v4/accounts/{hooks.ACCOUNT}/alerting/v3"
            hook = hooks.call(conn, "POST", base + "/destinations/webhooks",
                              {"name": "bench", "url": receiver.url})["result"]["id"]
            hooks.call(conn, "POST", base + "/policies",
                       {"name": "bench", "alert_type": "custom_ssl_certificate_event_type", "enabled": True,
                        "mechanisms": {"webhooks": [{"id": hook}]}})

            reader = Latencies(host, int(port), path)
            time.sleep(3)
            idle = reader.stop()

            def deployed():
                return {a.hostname_id for a in receiver.events().values() if a.type.endswith(".deployment.succeeded")}

            reader = Latencies(host, int(port), path)
            jumped = time.perf_counter()
            jumped_to = parse_time(hooks.call(conn, "POST", "/_emulator/clock", {"advance": "61d"})["result"]["now"])
            while len(deployed()) < args.n and time.perf_counter() - jumped < args.timeout:
                time.sleep(0.05)
            during = reader.stop()
            jump_events = [a for a in receiver.events().values() if a.at >= jumped]
            renewed = len(deployed())
            # When the last renewed pair became active, on the emulator's clock (the jump moved it
            # 61 days; it runs on at the wall clock's pace after), from the events' created_at.
            settled_s = max(parse_time(a.created_at) for a in jump_events
                            if a.type.endswith(".deployment.succeeded")) - jumped_to
            arrived = [a.at for a in jump_events]
            rate = len(arrived) / (max(arrived) - min(arrived)) if len(arrived) > 1 else 0.0
            figures = {
                "n": args.n, "renewed": renewed, "settled_s": settled_s,
                "idle_p50_ms": statistics.median(idle), "idle_p99_ms": p(idle, 0.99),
                "during_p50_ms": statistics.median(during) if during else float("nan"),
                "during_p99_ms": p(during, 0.99) if during else float("nan"),
                "events": len(jump_events), "events_per_s": rate,
            }
            print(f"{renewed} of {args.n} hostnames renewed, the last one active {settled_s:.2f} s after the clock jump")
            print(f"API GET one hostname: idle p50 {figures['idle_p50_ms']:.2f} ms p99 {figures['idle_p99_ms']:.2f} ms; "
                  f"during the renewals p50 {figures['during_p50_ms']:.2f} ms p99 {figures['during_p99_ms']:.2f} ms "
                  f"({figures['during_p99_ms'] / figures['idle_p99_ms']:.2f}x idle p99, {len(during)} requests)")
            print(f"notifications of the jump: {len(jump_events)} delivered, {rate:.0f} events/s from the first "
                  f"arrival to the last ({max(arrived) - jumped:.2f} s after the jump)")
            if args.json:
                with open(args.json, "w") as f:
                    json.dump(figures, f, indent=1)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            receiver.stop()


if __name__ == "__main__":
    main()
