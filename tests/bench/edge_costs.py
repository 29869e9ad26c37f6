#!/usr/bin/python3
"""What one operation costs the edge next to nginx, counted rather than timed (a benchmark, not a
test; it never fails on a figure): for a full TLS 1.3 handshake, a proxied HTTPS keep-alive request
and a proxied plain-HTTP request, the server's system calls (strace -c), its malloc calls (a perf
uprobe on glibc's malloc), its context switches and its CPU time (user + system from /proc), each
per operation.

Counts barely move with the machine's load, so they show where the edge's extra CPU goes when the
rates of edge_bench.py are too noisy to. nginx here is the proxy alone: the origin is a second
nginx of its own, so nothing of the origin's work is counted for either proxy.

Needs root (strace and perf attach to the servers), nginx, wrk, curl, strace and Debian's
linux-perf (without perf, the malloc column is left out). Usage:
  /usr/bin/python3 tests/bench/edge_costs.py [path/to/csr-emulator] [--json FILE]
"""
import argparse
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import edge_bench as eb  # noqa: E402
from edge_bench import NAME, ORIGIN, ZONE  # noqa: E402

LIBC = "/lib/x86_64-linux-gnu/libc.so.6"


def start_nginx(work, name, servers):
    """One nginx (2 workers) of its own with these server blocks; its master process."""
    d = os.path.join(work, name)
    os.makedirs(d)
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""
worker_processes 2;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fcgi;
    uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
    keepalive_requests 1000000;
{servers}
}}
""")
    return subprocess.Popen(["nginx", "-p", d, "-c", conf, "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_listening(*ports):
    for port in ports:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"nothing listens on {port}")
                time.sleep(0.05)


class Load:
    """One kind of operation against one server: run(n) performs about n of them and returns how
    many were done."""

    def __init__(self, kind, tls_port, http_port, cafile):
        self.kind, self.tls_port, self.http_port, self.cafile = kind, tls_port, http_port, cafile

    def run(self, n):
        if self.kind == "handshake":
            context_file = self.cafile
            for _ in range(n):
                # A fresh context per connection offers no session: every handshake is a full one.
                context = ssl.create_default_context(cafile=context_file)
                with socket.create_connection(("127.0.0.1", self.tls_port)) as raw:
                    with context.wrap_socket(raw, server_hostname=NAME):
                        pass
            return n
        if self.kind == "https request":
            cmd = ["curl", "-s", "-o", "/dev/null", "--parallel", "--parallel-max", "8",
                   "--resolve", f"{NAME}:{self.tls_port}:127.0.0.1", "--cacert", self.cafile,
                   f"https://{NAME}:{self.tls_port}/r[1-{n}]"]
        else:
            cmd = ["curl", "-s", "-o", "/dev/null", "--parallel", "--parallel-max", "8", "-H", f"Host: {NAME}",
                   f"http://127.0.0.1:{self.http_port}/r[1-{n}]"]
        subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)  # curl --parallel's progress meter
        return n


def syscalls_per_operation(pids, load, n):
    """strace -c over the server's threads while `load` runs: {system call: calls per operation}."""
    out = tempfile.mktemp(prefix="edge-costs-strace-")
    cmd = ["strace", "-c", "-f", "-o", out] + sum((["-p", str(p)] for p in pids), [])
    tracer = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    done = load.run(n)
    time.sleep(0.3)
    tracer.terminate()
    tracer.wait()
    calls = {}
    for line in open(out):
        f = line.split()
        if len(f) >= 5 and f[3].isdigit() and f[-1] != "total":
            calls[f[-1]] = int(f[3]) / done
    os.unlink(out)
    return calls


def add_malloc_probe():
    """A uprobe on glibc's malloc: "added" (to be deleted at the end), "there" (someone else's), or
    None when perf cannot (not installed, no uprobes)."""
    if not shutil.which("perf"):
        return None
    if "probe_libc:malloc" in subprocess.run(["perf", "probe", "-l"], capture_output=True, text=True).stdout:
        return "there"
    return "added" if subprocess.run(["perf", "probe", "-x", LIBC, "malloc"], capture_output=True).returncode == 0 else None


def events_per_operation(pids, load, n, events):
    """perf stat's counts of `events` in the server while `load` runs, per operation: {event: count
    per operation}, without the events perf could not count."""
    out = tempfile.mktemp(prefix="edge-costs-perf-")
    counter = subprocess.Popen(["perf", "stat", "-e", ",".join(events), "-x,", "-o", out,
                                "-p", ",".join(map(str, pids))], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    done = load.run(n)
    time.sleep(0.3)
    counter.send_signal(2)
    counter.wait()
    counts = {}
    for line in open(out):
        fields = line.split(",")
        if len(fields) > 2 and fields[2] in events and fields[0].isdigit():
            counts[fields[2]] = int(fields[0]) / done
    os.unlink(out)
    return counts


def cpu_per_operation(pids, load, n):
    meter = eb.CpuMeter(pids)
    meter.start()
    done = load.run(n)
    return meter.per_operation(done)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default=os.path.join(here, "..", "..", "build", "server", "csr-emulator"))
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    os.environ["CSR_EMULATOR_BINARY"] = os.path.abspath(args.binary)
    for tool in ("nginx", "curl", "strace"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed (Debian packages nginx-light, curl, strace)")

    work = tempfile.mkdtemp(prefix="edge-costs-")
    origin_port, proxy_tls, proxy_http = eb.free_port(), eb.free_port(), eb.free_port()
    edge = eb.Emulator(["--log-level", "warn", "--key-pool", "0", "--edge-origin-port", str(origin_port),
                        "--edge-resolve", f"{ORIGIN}:127.0.0.1"])
    origin = proxy = probe = None
    try:
        chain_file, key_file, chain, key = eb.make_certificate(edge, work)
        r = edge.call("POST", f"/client/v4/zones/{ZONE}/custom_hostnames", {
            "hostname": NAME, "custom_origin_server": ORIGIN,
            "ssl": {"custom_certificate": chain, "custom_key": key}})
        assert r["success"], r
        edge.wait_active(r["result"]["id"])
        origin = start_nginx(work, "origin", f'    server {{ listen 127.0.0.1:{origin_port}; '
                                             f'location / {{ return 200 "hello from the origin\\n"; }} }}')
        to_origin = 'location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection ""; }'
        proxy = start_nginx(work, "proxy", f"""
    upstream origin {{ server 127.0.0.1:{origin_port}; keepalive 64; }}
    server {{ listen 127.0.0.1:{proxy_http}; server_name {NAME}; {to_origin} }}
    server {{
        listen 127.0.0.1:{proxy_tls} ssl; server_name {NAME};
        ssl_certificate {chain_file}; ssl_certificate_key {key_file};
        ssl_protocols TLSv1.2 TLSv1.3;
        {to_origin}
    }}""")
        wait_listening(origin_port, proxy_tls, proxy_http)
        while len(eb.nginx_workers(proxy.pid)) < 2:  # listening comes before the workers are forked
            time.sleep(0.05)
        servers = {"edge": ([edge.process.pid], edge.edge_port, edge.edge_http_port),
                   "nginx": (eb.nginx_workers(proxy.pid), proxy_tls, proxy_http)}
        sizes = {"handshake": 400, "https request": 5000, "plain request": 5000}
        figures = {}
        probe = add_malloc_probe()
        print(f"edge ({args.binary}) vs nginx as a proxy (2 workers), per operation; origin: an nginx of its own")
        for kind, n in sizes.items():
            print(f"\n{kind} ({n} per measure):")
            for label, (pids, tls_port, http_port) in servers.items():
                load = Load(kind, tls_port, http_port, edge.root_pem)
                load.run(max(20, n // 20))  # warm: origin connections, caches
                cpu = cpu_per_operation(pids, load, 3 * n)
                calls = syscalls_per_operation(pids, load, n)
                # (Not page faults: this VM's perf counts none, even for a process that surely takes some.)
                counted = events_per_operation(pids, load, n, ["context-switches"]
                                               + (["probe_libc:malloc"] if probe else [])) if shutil.which("perf") else {}
                shown = ", ".join(f"{name} {count:.2f}" for name, count in sorted(calls.items(), key=lambda c: -c[1])
                                  if count >= 0.05 and name != "getpid")
                total = sum(count for name, count in calls.items() if name != "getpid")
                more = "".join(f"   {name} {counted[key]:.2f}" for name, key in (
                    ("mallocs", "probe_libc:malloc"), ("context switches", "context-switches")) if key in counted)
                print(f"  {label:5s}  CPU {cpu:7.1f} us{more}\n         system calls {total:6.2f} ({shown})")
                figures[f"{kind}/{label}"] = {"cpu_us": cpu, "syscalls": total, "calls": calls, **counted}
        print("\n(getpid, OpenSSL's fork check, is left out of the system call totals: both make the same. The"
              " edge's counts are its whole process's: the settler's 50 ms tick adds a few timerfd_settime and"
              " fcntl calls over a measure.)")
        if args.json:
            with open(args.json, "w") as f:
                json.dump(figures, f, indent=1)
    finally:
        if probe == "added":
            subprocess.run(["perf", "probe", "-d", "probe_libc:malloc"], capture_output=True)
        for p in (proxy, origin):
            if p:
                p.terminate()
                p.wait()
        edge.stop()
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
