#!/usr/bin/python3
"""Latency figures for csr-emulator, measured over HTTP on loopback (a benchmark, not a test).

Starts the emulator binary on port 0 with a temporary database, then times, one request at a
time on a keep-alive connection:
  - POST custom_csrs with p256v1 and with rsa2048 (default key pool back to back, paced so the
    pool refills, and with --key-pool 0),
  - GET one CSR, next to GET /_emulator/health (a static response on the same server),
  - GET a page of 20 CSRs with 100 and with 5000 CSRs in the zone.
Prints medians (and p90) in milliseconds. Usage:
  /usr/bin/python3 tests/bench/bench_api.py [path/to/csr-emulator] [--n 50]
"""
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ZONE = "023e105f4ecef8ad9ca31a8372d0c353"
AUTH = {"Authorization": "Bearer bench", "Content-Type": "application/json"}


def start(binary, db, *extra):
    proc = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--db", db, "--log-level", "warn", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline().strip()
    if not line.startswith("csr-emulator listening on http://"):
        raise SystemExit("emulator did not start: " + line)
    host, port = line.rsplit("/", 1)[-1].rsplit(":", 1)
    return proc, host, int(port)


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)


def timed(conn, method, path, body=None):
    payload = json.dumps(body) if body is not None else None
    start = time.perf_counter()
    conn.request(method, path, body=payload, headers=AUTH)
    response = conn.getresponse()
    data = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    return elapsed, response.status, data


def csr_body(key_type, i):
    return {"country": "US", "state": "MA", "locality": "Boston", "organization": "Bench",
            "common_name": f"h{i}.acme.io", "sans": [f"h{i}.acme.io"], "key_type": key_type}


def summary(name, samples):
    samples = sorted(samples)
    p90 = samples[int(len(samples) * 0.9) - 1]
    print(f"{name:<52} n={len(samples):<5} median={statistics.median(samples):8.3f} ms  p90={p90:8.3f} ms")
    return statistics.median(samples)


def creates(binary, key_type, n, *extra, pace=0.0):
    with tempfile.TemporaryDirectory() as tmp:
        proc, host, port = start(binary, os.path.join(tmp, "db.sqlite3"), *extra)
        try:
            conn = http.client.HTTPConnection(host, port)
            time.sleep(1.0) if key_type == "rsa2048" and "--key-pool" not in extra else None  # let the pool fill once
            samples = []
            for i in range(n):
                ms, status, _ = timed(conn, "POST", f"/client/v4/zones/{ZONE}/custom_csrs", csr_body(key_type, i))
                assert status == 201, status
                samples.append(ms)
                time.sleep(pace)  # paced: the key workers refill the pool between requests
            return samples
        finally:
            stop(proc)


def reads(binary, n):
    with tempfile.TemporaryDirectory() as tmp:
        proc, host, port = start(binary, os.path.join(tmp, "db.sqlite3"))
        try:
            conn = http.client.HTTPConnection(host, port)
            _, _, data = timed(conn, "POST", f"/client/v4/zones/{ZONE}/custom_csrs", csr_body("p256v1", 0))
            csr_id = json.loads(data)["result"]["id"]
            for _ in range(50):  # warm up
                timed(conn, "GET", "/_emulator/health")
            static = [timed(conn, "GET", "/_emulator/health")[0] for _ in range(n)]
            one = [timed(conn, "GET", f"/client/v4/zones/{ZONE}/custom_csrs/{csr_id}")[0] for _ in range(n)]
            results = {"static": static, "one": one}
            # Pages of 20 as the zone grows (other zones' rows too, which a scoped index must skip).
            for target in (100, 5000):
                listing = json.loads(timed(conn, "GET", f"/client/v4/zones/{ZONE}/custom_csrs?per_page=5")[2])
                have = listing["result_info"]["total_count"]
                for i in range(have, target):
                    timed(conn, "POST", f"/client/v4/zones/{ZONE}/custom_csrs", csr_body("p256v1", i))
                    timed(conn, "POST", f"/client/v4/zones/other{i % 7}/custom_csrs", csr_body("p256v1", i))
                results[f"page1_{target}"] = [timed(conn, "GET", f"/client/v4/zones/{ZONE}/custom_csrs?per_page=20")[0]
                                              for _ in range(n)]
                last = (target + 19) // 20
                results[f"pagelast_{target}"] = [timed(conn, "GET", f"/client/v4/zones/{ZONE}/custom_csrs?per_page=20&page={last}")[0]
                                                 for _ in range(n)]
            return results
        finally:
            stop(proc)


def main():
    args = [a for a in sys.argv[1:]]
    n = 50
    if "--n" in args:
        n = int(args[args.index("--n") + 1])
        del args[args.index("--n"):args.index("--n") + 2]
    binary = args[0] if args else os.path.join(os.path.dirname(__file__), "../../build/server/csr-emulator")
    print(f"csr-emulator benchmark: {binary}, {n} sequential requests per figure, loopback, keep-alive")
    p256 = summary("POST custom_csrs p256v1", creates(binary, "p256v1", n))
    rsa_pool = summary("POST custom_csrs rsa2048 (default --key-pool 4)", creates(binary, "rsa2048", n))
    rsa_paced = summary("POST custom_csrs rsa2048 (pool 4, one request / 0.4 s)",
                        creates(binary, "rsa2048", n, pace=0.4))
    rsa_cold = summary("POST custom_csrs rsa2048 (--key-pool 0)", creates(binary, "rsa2048", n, "--key-pool", "0"))
    r = reads(binary, max(n, 200))
    static = summary("GET /_emulator/health (static)", r["static"])
    one = summary("GET custom_csrs/{id}", r["one"])
    for target in (100, 5000):
        summary(f"GET custom_csrs page 1 of 20, {target} CSRs in zone", r[f"page1_{target}"])
        summary(f"GET custom_csrs last page of 20, {target} CSRs in zone", r[f"pagelast_{target}"])
    print(f"ratios: rsa2048(pool)/p256v1 = {rsa_pool / p256:.1f}x, rsa2048(paced)/p256v1 = {rsa_paced / p256:.1f}x, "
          f"rsa2048(no pool)/p256v1 = {rsa_cold / p256:.1f}x, "
          f"GET one CSR / static = {one / static:.2f}x")


if __name__ == "__main__":
    main()
