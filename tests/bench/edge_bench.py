#!/usr/bin/python3
"""Edge figures for csr-emulator next to nginx, measured in one run on loopback (a benchmark,
not a test; it never fails on a timing).

  1. TLS handshakes per second (full handshakes, no resumption, ECDSA P-256 certificate chosen by
     SNI): the emulator's edge, then nginx with the same certificate and key by server_name.
  2. Proxied requests per second over HTTPS (keep-alive, curl --parallel with --resolve, since
     wrk cannot set SNI): direct to the origin, through the edge, through nginx as a TLS proxy.
  3. The same over plain HTTP with wrk: direct to the origin, through the edge's HTTP port,
     through nginx as a plain proxy.
  4. API GET latency (one keep-alive client) idle, and while the edge takes a handshake load.

Beside each rate, the servers' own CPU time per handshake or request (user + system, from /proc:
the emulator's process, nginx's workers): the clients share the two cores, so rates move with
them from run to run, while the CPU a server spends on one operation moves much less. The origin
is a server block of the same nginx, so nginx's figure for a proxied request is its CPU through
the proxy less its CPU per request sent straight to the origin.

The origin is nginx answering a small static body. Needs nginx, wrk, curl, openssl (Debian
packages nginx-light, wrk). Usage:
  /usr/bin/python3 tests/bench/edge_bench.py [path/to/csr-emulator] [--seconds 5] [--clients 8]
"""
import argparse
import http.client
import json
import multiprocessing
import os
import re
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "edge"))
from edge_fixture import ZONE, AUTH, Emulator  # noqa: E402

NAME = "shop.bench-test.io"
ORIGIN = "origin.bench-test.io"


def cpu_seconds(pids):
    """User + system CPU time the processes have used so far (all their threads)."""
    total = 0.0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def nginx_workers(master):
    """nginx's worker processes: the children of its master."""
    workers = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1]) == master:
                    workers.append(int(entry))
            except OSError:
                continue
    return workers


class CpuMeter:
    """The CPU time `pids` use between start() and per_operation(n), in microseconds per operation."""

    def __init__(self, pids):
        self.pids, self.start_cpu = pids, 0.0

    def start(self):
        self.start_cpu = cpu_seconds(self.pids)

    def per_operation(self, operations):
        return (cpu_seconds(self.pids) - self.start_cpu) / max(operations, 1) * 1e6


def print_cpu(label, edge_us, nginx_us):
    print(f"  server CPU per {label}: edge {edge_us:.1f} us, nginx {nginx_us:.1f} us, edge/nginx {edge_us / nginx_us:.2f}")


def print_request_rates(scheme, direct, edge, nginx, edge_us, nginx_us):
    """Requests/s straight to the origin, through the edge and through nginx, their ratios, and CPU."""
    for label, rate in (("direct to the origin (http)", direct), (f"through the edge ({scheme})", edge),
                        (f"through nginx ({scheme})", nginx)):
        print(f"  {label:<29}{rate:8.0f}/s")
    print(f"  edge/direct {edge / direct:.2f}   edge/nginx {edge / nginx:.2f}")
    print_cpu("request", edge_us, nginx_us)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificate(edge, work):
    """A P-256 key made here, its CSR signed by the emulator's test CA: files nginx can read too."""
    key, csr = os.path.join(work, "key.pem"), os.path.join(work, "csr.pem")
    subprocess.run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key, "-out", csr, "-subj", f"/CN={NAME}", "-addext", f"subjectAltName=DNS:{NAME}"],
                   check=True, capture_output=True)
    chain = edge.sign(open(csr).read())
    chain_file = os.path.join(work, "chain.pem")
    with open(chain_file, "w") as f:
        f.write(chain)
    return chain_file, key, chain, open(key).read()


def start_nginx(work, origin_port, tls_port, http_port, chain, key):
    conf = os.path.join(work, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""
worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {work}/body; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fcgi;
    uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
    keepalive_requests 1000000;
    upstream origin {{ server 127.0.0.1:{origin_port}; keepalive 64; }}
    server {{ listen 127.0.0.1:{origin_port}; location / {{ return 200 "hello from the origin\\n"; }} }}
    server {{
        listen 127.0.0.1:{http_port}; server_name {NAME};
        location / {{ proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection ""; }}
    }}
    server {{
        listen 127.0.0.1:{tls_port} ssl; server_name {NAME};
        ssl_certificate {chain}; ssl_certificate_key {key};  # session defaults, as the edge
        ssl_protocols TLSv1.2 TLSv1.3;  # nginx 1.22's default stops at TLS 1.2; the edge speaks 1.3
        location / {{ proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection ""; }}
    }}
}}
""")
    proc = subprocess.Popen(["nginx", "-p", work, "-c", conf, "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", origin_port), timeout=1).close()
            socket.create_connection(("127.0.0.1", tls_port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.05)
    raise SystemExit("nginx did not start: " + open(os.path.join(work, "nginx-error.log")).read())


def handshake_worker(port, cafile, seconds, out):
    context = ssl.create_default_context(cafile=cafile)
    # A fresh context per connection offers no session: every handshake is a full one.
    count, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        with socket.create_connection(("127.0.0.1", port)) as raw:
            with context.wrap_socket(raw, server_hostname=NAME):
                count += 1
    out.put(count)


def handshakes_per_second(port, cafile, seconds, clients):
    out = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=handshake_worker, args=(port, cafile, seconds, out)) for _ in range(clients)]
    start = time.monotonic()
    for w in workers:
        w.start()
    total = sum(out.get() for _ in workers)
    for w in workers:
        w.join()
    return total / (time.monotonic() - start)


def curl_requests_per_second(url, port, cafile, requests, parallel):
    cmd = ["curl", "-s", "-o", "/dev/null", "--parallel", "--parallel-max", str(parallel),
           "--resolve", f"{NAME}:{port}:127.0.0.1", "--cacert", cafile, "-w", "%{http_code}\\n",
           f"{url}/r[1-{requests}]"]
    start = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    codes = p.stdout.split()
    ok = sum(1 for c in codes if c == "200")
    if ok != requests:
        print(f"  warning: {requests - ok} of {requests} requests to {url} did not answer 200", file=sys.stderr)
    return ok / elapsed


def wrk_requests_per_second(url, seconds, connections, host=None):
    cmd = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{max(1, round(seconds))}s", url]
    if host:
        cmd[1:1] = ["-H", f"Host: {host}"]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"  warning: {errors.group(1)} non-2xx answers from {url}", file=sys.stderr)
    return float(m.group(1)) if m else 0.0


def api_latencies(edge, hostname_id, seconds):
    host, port = edge.api.split("//", 1)[1].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port))
    path = f"/client/v4/zones/{ZONE}/custom_hostnames/{hostname_id}"
    samples, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        t = time.perf_counter()
        conn.request("GET", path, headers=AUTH)
        conn.getresponse().read()
        samples.append((time.perf_counter() - t) * 1000)
    conn.close()
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99)], len(samples)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default=os.path.join(here, "..", "..", "build", "server", "csr-emulator"))
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    figures = {}
    os.environ["CSR_EMULATOR_BINARY"] = os.path.abspath(args.binary)

    work = tempfile.mkdtemp(prefix="edge-bench-")
    origin_port, nginx_tls_port, nginx_http_port = free_port(), free_port(), free_port()
    # No key pool: its background RSA key generation would take CPU from the edge under test.
    edge = Emulator(["--log-level", "warn", "--key-pool", "0", "--edge-origin-port", str(origin_port),
                     "--edge-resolve", f"{ORIGIN}:127.0.0.1"])
    nginx = None
    try:
        chain_file, key_file, chain, key = make_certificate(edge, work)
        r = edge.call("POST", f"/client/v4/zones/{ZONE}/custom_hostnames", {
            "hostname": NAME, "custom_origin_server": ORIGIN,
            "ssl": {"custom_certificate": chain, "custom_key": key}})
        assert r["success"], r
        hostname_id = r["result"]["id"]
        edge.wait_active(hostname_id)
        nginx = start_nginx(work, origin_port, nginx_tls_port, nginx_http_port, chain_file, key_file)
        cafile = edge.root_pem
        print(f"csr-emulator edge (2 threads) vs nginx (2 workers), {os.cpu_count()} CPUs shared with the clients")

        print("\nTLS handshakes per second (full, ECDSA P-256, TLS 1.3, "
              f"{args.clients} client processes, {args.seconds:g} s each):")
        edge_cpu, nginx_cpu = CpuMeter([edge.process.pid]), CpuMeter(nginx_workers(nginx.pid))
        edge_cpu.start()
        started = time.monotonic()
        edge_hs = handshakes_per_second(edge.edge_port, cafile, args.seconds, args.clients)
        edge_us = edge_cpu.per_operation(edge_hs * (time.monotonic() - started))
        nginx_cpu.start()
        started = time.monotonic()
        nginx_hs = handshakes_per_second(nginx_tls_port, cafile, args.seconds, args.clients)
        nginx_us = nginx_cpu.per_operation(nginx_hs * (time.monotonic() - started))
        print(f"  edge   {edge_hs:8.0f}/s\n  nginx  {nginx_hs:8.0f}/s\n  edge/nginx {edge_hs / nginx_hs:.2f}")
        print_cpu("handshake", edge_us, nginx_us)
        figures.update(handshakes_edge=edge_hs, handshakes_nginx=nginx_hs,
                       handshake_cpu_us_edge=edge_us, handshake_cpu_us_nginx=nginx_us)
        one_edge = handshakes_per_second(edge.edge_port, cafile, args.seconds, 1)
        one_nginx = handshakes_per_second(nginx_tls_port, cafile, args.seconds, 1)
        print(f"  one client, one handshake after another: edge {1000 / one_edge:.2f} ms, "
              f"nginx {1000 / one_nginx:.2f} ms per handshake (client included)")

        print(f"\nHTTPS requests per second (keep-alive, curl --parallel 32, {args.requests} requests):")
        nginx_cpu.start()
        direct = curl_requests_per_second(f"http://127.0.0.1:{origin_port}", origin_port, cafile, args.requests, 32)
        origin_us = nginx_cpu.per_operation(args.requests)
        edge_cpu.start()
        via_edge = curl_requests_per_second(f"https://{NAME}:{edge.edge_port}", edge.edge_port, cafile,
                                            args.requests, 32)
        edge_us = edge_cpu.per_operation(args.requests)
        nginx_cpu.start()
        via_nginx = curl_requests_per_second(f"https://{NAME}:{nginx_tls_port}", nginx_tls_port, cafile,
                                             args.requests, 32)
        nginx_us = nginx_cpu.per_operation(args.requests) - origin_us
        print_request_rates("https", direct, via_edge, via_nginx, edge_us, nginx_us)
        figures.update(https_edge=via_edge, https_nginx=via_nginx, https_direct=direct,
                       https_cpu_us_edge=edge_us, https_cpu_us_nginx=nginx_us)

        print(f"\nPlain-HTTP requests per second (wrk, 2 threads, 32 connections, {args.seconds:g} s):")
        nginx_cpu.start()
        wrk_direct = wrk_requests_per_second(f"http://127.0.0.1:{origin_port}/", args.seconds, 32)
        origin_us = nginx_cpu.per_operation(wrk_direct * max(1, round(args.seconds)))
        edge_cpu.start()
        wrk_edge = wrk_requests_per_second(f"http://127.0.0.1:{edge.edge_http_port}/", args.seconds, 32, host=NAME)
        edge_us = edge_cpu.per_operation(wrk_edge * max(1, round(args.seconds)))
        nginx_cpu.start()
        wrk_nginx = wrk_requests_per_second(f"http://127.0.0.1:{nginx_http_port}/", args.seconds, 32, host=NAME)
        nginx_us = nginx_cpu.per_operation(wrk_nginx * max(1, round(args.seconds))) - origin_us
        print_request_rates("http", wrk_direct, wrk_edge, wrk_nginx, edge_us, nginx_us)
        figures.update(http_edge=wrk_edge, http_nginx=wrk_nginx, http_direct=wrk_direct,
                       http_cpu_us_edge=edge_us, http_cpu_us_nginx=nginx_us)

        print(f"\nAPI GET one custom hostname, one keep-alive client, {args.seconds:g} s:")
        p50, p99, n = api_latencies(edge, hostname_id, args.seconds)
        print(f"  idle                          median {p50:.2f} ms  p99 {p99:.2f} ms  ({n} requests)")
        load = threading.Thread(target=handshakes_per_second,
                                args=(edge.edge_port, cafile, args.seconds + 1, max(2, args.clients // 2)))
        load.start()
        time.sleep(0.5)
        p50, p99, n = api_latencies(edge, hostname_id, args.seconds)
        load.join()
        print(f"  during an edge handshake load median {p50:.2f} ms  p99 {p99:.2f} ms  ({n} requests)")
        if args.json:
            with open(args.json, "w") as f:
                json.dump(figures, f, indent=1)
    finally:
        if nginx:
            nginx.terminate()
            nginx.wait()
        edge.stop()
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
