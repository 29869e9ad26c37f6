#!/usr/bin/python3
"""Every benchmark in one run, then one table: each performance goal, its figure, its anchor and
the ratio (a benchmark, not a test: it prints, it never fails on a timing).

Runs run_all.py (API reads, creates against raw OpenSSL, key generation beside serving,
start-up), edge_bench.py (the edge next to nginx), notification_bench.py (webhook delivery) and
renewal_bench.py (a clock jump renewing N hostnames), each in turn on the same machine, and
writes their raw figures beside the table (--out DIR).
Usage: /usr/bin/python3 tests/bench/goals.py [--binary build/server/csr-emulator] [--quick] [--out DIR]
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def run(name, argv, out_dir):
    """One benchmark script with --json into out_dir; its raw figures, or {} if it failed."""
    figures = os.path.join(out_dir, name + ".json")
    log = os.path.join(out_dir, name + ".txt")
    print(f"== {name}: {' '.join(argv)}", flush=True)
    started = time.time()
    with open(log, "w") as f:
        done = subprocess.run([sys.executable, os.path.join(HERE, name + ".py"), *argv, "--json", figures],
                              stdout=f, stderr=subprocess.STDOUT)
    print(open(log).read().rstrip())
    print(f"== {name}: {time.time() - started:.0f} s, exit {done.returncode}\n", flush=True)
    return json.load(open(figures)) if done.returncode == 0 and os.path.exists(figures) else {}


def ratio(a, b):
    return a / b if a is not None and b else None


def table(api, edge, notify, renew):
    """(goal, figure, anchor, ratio, wanted, met) rows; None where a benchmark gave nothing."""
    rows = []

    def add(goal, figure, anchor, value, wanted, met):
        rows.append((goal, figure, anchor, value, wanted, None if value is None else met(value)))

    add("edge: full TLS 1.3 handshakes/s vs nginx", edge.get("handshakes_edge"), edge.get("handshakes_nginx"),
        ratio(edge.get("handshakes_edge"), edge.get("handshakes_nginx")), ">= 1.0", lambda r: r >= 1.0)
    add("edge: HTTPS keep-alive proxied req/s vs nginx", edge.get("https_edge"), edge.get("https_nginx"),
        ratio(edge.get("https_edge"), edge.get("https_nginx")), ">= 0.9", lambda r: r >= 0.9)
    add("edge: plain-HTTP proxied req/s vs nginx", edge.get("http_edge"), edge.get("http_nginx"),
        ratio(edge.get("http_edge"), edge.get("http_nginx")), ">= 0.9", lambda r: r >= 0.9)
    results = api.get("results", {}).get("A", {})
    ceilings = api.get("ceilings", {})
    post = results.get("post_p256", {})
    post_rate = post.get("rps") if isinstance(post, dict) else None
    raw = ceilings.get("crypto", {}).get("raw_p256_csr/2")
    add("POST custom_csrs p256 (wrk -c8) vs raw OpenSSL keygen + CSR + PEM, 2 threads", post_rate, raw,
        ratio(post_rate, raw), ">= 0.6", lambda r: r >= 0.6)
    during, idle = results.get("get_during_rsa", {}), results.get("get_idle", {})
    during_p99 = during.get("p99") if isinstance(during, dict) else None
    idle_p99 = idle.get("p99") if isinstance(idle, dict) else None
    add("API GET p99 while RSA keys are made vs idle p99", during_p99, idle_p99, ratio(during_p99, idle_p99),
        "<= 2", lambda r: r <= 2)
    start_new = results.get("start_new")
    add("start-up to the listening line, new database (ms)", start_new, None, start_new, "<= 20", lambda v: v <= 20)
    existing = next((v for k, v in results.items() if k.startswith("start_rows_")), None)
    add("start-up to the listening line, existing database (ms)", existing, None, existing, "<= 20",
        lambda v: v <= 20)
    add(f"clock jump renewing {renew.get('n', '?')} DV hostnames: seconds to settled", renew.get("settled_s"), None,
        renew.get("settled_s"), "<= 60", lambda v: v <= 60)
    add("  meanwhile API GET p99 vs idle p99", renew.get("during_p99_ms"), renew.get("idle_p99_ms"),
        ratio(renew.get("during_p99_ms"), renew.get("idle_p99_ms")), "<= 2", lambda r: r <= 2)
    add("notifications delivered/s to a local receiver", notify.get("events_per_s"), notify.get("fired_per_s"),
        notify.get("events_per_s"), ">= 2000", lambda v: v >= 2000)
    add("notification delivery after the status change, p50 (ms)", notify.get("latency_p50_ms"), None,
        notify.get("latency_p50_ms"), "<= 50", lambda v: v <= 50)
    return rows


def fmt(v):
    if v is None:
        return "-"
    return f"{v:,.2f}" if abs(v) < 100 else f"{v:,.0f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, "build", "server", "csr-emulator"))
    parser.add_argument("--quick", action="store_true", help="shorter loads (run_all --quick, 3 s edge loads)")
    parser.add_argument("--out", help="where the raw figures and logs go (default: a temporary folder)")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    out_dir = args.out or tempfile.mkdtemp(prefix="csr-emulator-goals-")
    os.makedirs(out_dir, exist_ok=True)
    load = os.getloadavg()
    print(f"csr-emulator performance goals, {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} CPUs, "
          f"{platform.machine()}, load average {load[0]:.2f} at start; figures in {out_dir}\n")
    quick = ["--quick"] if args.quick else []
    api = run("run_all", ["--binary", binary, "--rows", "1000", *quick], out_dir)
    edge = run("edge_bench", [binary, "--seconds", "3" if args.quick else "5"], out_dir)
    notify = run("notification_bench", [binary], out_dir)
    renew = run("renewal_bench", [binary], out_dir)
    rows = table(api, edge, notify, renew)
    header = ("goal", "figure", "anchor", "ratio or value", "wanted", "met")
    lines = [header] + [(g, fmt(f), fmt(a), fmt(r), w, "-" if m is None else ("yes" if m else "NO"))
                        for g, f, a, r, w, m in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for line in lines[1:]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |")
    load = os.getloadavg()
    print(f"\nload average {load[0]:.2f} at the end")


if __name__ == "__main__":
    main()
