#!/usr/bin/python3
"""The performance suite (a benchmark, not a test: it prints figures, asserts nothing,
and is not registered with CTest). One command measures every figure next to its ceiling:

  /usr/bin/python3 tests/bench/run_all.py --binary build/server/csr-emulator \
      [--compare OTHER_BINARY] [--rows 1000,100000[,1000000]] [--quick] [--perf-dir DIR]

What it does, all on 127.0.0.1, every load bounded in time:
  - builds the helpers if missing (cmake -DCSR_EMULATOR_BENCH=ON, target bench_tools, in the
    binary's build tree) and installs Debian's wrk if missing (as root; otherwise it says so);
  - crypto ceilings: bench_openssl_raw_rate (plain OpenSSL 3, no project code: P-256 keygen + CSR +
    PEM, algorithms fetched once, 1 and 2 threads), the anchor of POST p256v1; bench_crypto_rate
    (the same with the project's crypto library, and RSA-2048 keygen, 1 and 2 threads);
  - read ceiling: bench_ceiling_server, a minimal Beast server answering the emulator's own
    one-CSR response body, driven by `wrk -t2 -c32` like the emulator;
  - rows: bench_make_rows fills one zone with N CSRs, N custom hostnames, N custom certificates
    (cached in --workdir, reused by later runs);
  - reads (wrk -t2 -c32): GET one CSR, GET a list of 20 at 1,000 rows and at 100,000 rows;
  - paging: page 1, a middle page and the last page of each list at every --rows size,
    sequential single requests on one keep-alive connection, median;
  - creates: POST p256v1 (wrk -c8, Lua body) vs raw OpenSSL on 2 threads; POST rsa2048
    sustained (wrk -c8) vs the cores' RSA rate, p50 with keys in the pool, a GET's p99 while
    RSA keys are being made vs idle;
  - start-up: exec to the "listening on" line, median, new database and the largest --rows database;
  - memory: VmRSS idle and VmHWM (peak) from /proc/PID/status.
With --compare, every emulator figure is measured for both binaries in the same run.
With --perf-dir, `perf record` profiles GET one CSR and GET a list of 20 at the 100,000-row database.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ZONE = "023e105f4ecef8ad9ca31a8372d0c353"
AUTH = "Bearer bench"
HEADERS = {"Authorization": AUTH, "Content-Type": "application/json"}
LISTS = ("custom_csrs", "custom_hostnames", "custom_certificates")
# What bench_make_rows writes: cached databases of another format are made again. 2: CSR rows
# store the JSON the API shows for them (migration 9).
ROWS_FORMAT = 2
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Tools


def ensure_wrk():
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing wrk (Debian package)")
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, stdout=subprocess.DEVNULL)
        if shutil.which("wrk"):
            return shutil.which("wrk")
    raise SystemExit("wrk is needed: run `apt-get install -y wrk` as root, then run this again")


def ensure_tools(binary, tools_dir):
    names = ("bench_ceiling_server", "bench_crypto_rate", "bench_openssl_raw_rate", "bench_make_rows")
    if all(os.access(os.path.join(tools_dir, n), os.X_OK) for n in names):
        return
    build = os.path.dirname(os.path.dirname(os.path.abspath(binary)))  # build/server/csr-emulator -> build
    log(f"building the benchmark helpers in {build} (target bench_tools)")
    subprocess.run(["cmake", "-S", ROOT, "-B", build, "-DCSR_EMULATOR_BENCH=ON"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", build, "-j2", "--target", "bench_tools"], check=True, stdout=subprocess.DEVNULL)


# ---------------------------------------------------------------------------------------------
# Processes


class Server:
    """A server process started on port 0; `started_s` is exec-to-listening-line time."""

    def __init__(self, argv, prefix):
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline().strip()
        self.started_s = time.perf_counter() - t0
        if prefix not in line:
            self.proc.kill()
            raise SystemExit(f"{argv[0]} did not start: {line!r}")
        hostport = re.search(r"http://([^ ]+)", line).group(1)
        self.host, port = hostport.rsplit(":", 1)
        self.port = int(port)
        self.pid = self.proc.pid
        self.url = f"http://{self.host}:{self.port}"

    def status(self, field):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0  # MB
        return float("nan")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def emulator(binary, db, *extra):
    return Server([binary, "--listen", "127.0.0.1:0", "--db", db, "--log-level", "warn", *extra],
                  "listening on http://")


def request(conn, method, path, body=None):
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=HEADERS)
    response = conn.getresponse()
    return response.status, response.read()


def timed(conn, method, path, body=None):
    t0 = time.perf_counter()
    status, data = request(conn, method, path, body)
    return (time.perf_counter() - t0) * 1000.0, status, data


def csr_body(key_type, i=0):
    return {"country": "US", "state": "MA", "locality": "Boston", "organization": "Bench",
            "common_name": f"h{i}.acme.io", "sans": [f"h{i}.acme.io"], "key_type": key_type}


# ---------------------------------------------------------------------------------------------
# wrk


def parse_duration_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url, seconds, threads=2, connections=32, lua=None, timeout="30s", background=False):
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", f"--timeout={timeout}",
            "-H", f"Authorization: {AUTH}"]
    if lua:
        argv += ["-s", lua]
    argv.append(url)
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if background:
        return proc
    return parse_wrk(proc.communicate()[0])


def parse_wrk(out):
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "requests": int(re.search(r"(\d+) requests in", out).group(1)),
              "non2xx": int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1]),
              "errors": sum(int(x) for x in (re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                                                      out) or [None, 0, 0, 0, 0]).groups())
              if re.search(r"Socket errors", out) else 0}
    for pct in ("50", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M)
        result[f"p{pct}"] = parse_duration_ms(m.group(1)) if m else float("nan")
    return result


def post_lua(workdir, key_type):
    path = os.path.join(workdir, f"post_{key_type}.lua")
    with open(path, "w") as f:
        f.write('wrk.method = "POST"\n'
                f"wrk.body = '{json.dumps(csr_body(key_type, 0))}'\n"
                'wrk.headers["Content-Type"] = "application/json"\n')
    return path


# ---------------------------------------------------------------------------------------------
# Measurements


def crypto_rates(tools, seconds, rsa_seconds):
    out = ""
    for what, s in (("p256_csr", seconds), ("rsa2048_key", rsa_seconds)):  # RSA: seconds per key, so longer
        out += subprocess.run([os.path.join(tools, "bench_crypto_rate"), "--seconds", str(s), "--only", what],
                              check=True, capture_output=True, text=True).stdout
    out += subprocess.run([os.path.join(tools, "bench_openssl_raw_rate"), "--seconds", str(seconds)],
                          check=True, capture_output=True, text=True).stdout
    rates = {}
    for line in out.splitlines():
        r = json.loads(line)
        rates[(r["what"], r["threads"])] = r["per_second"]
    return rates


def rows_db(tools, workdir, rows):
    """A cached database holding `rows` of each kind in ZONE (plus 10 % in another zone)."""
    path = os.path.join(workdir, f"rows_{rows}.v{ROWS_FORMAT}.sqlite3")
    done = path + ".made"
    if os.path.exists(done):
        return path, json.load(open(done))
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    log(f"making {rows} rows of each kind in {path}")
    out = subprocess.run([os.path.join(tools, "bench_make_rows"), "--db", path, "--rows", str(rows),
                          "--other-zone-rows", str(rows // 10)], check=True, capture_output=True, text=True).stdout
    info = json.loads(out)
    json.dump(info, open(done, "w"))
    return path, info


def binary_db(tools, workdir, rows, name, binary):
    """This binary's own copy of the rows database: the emulator migrates what it opens, so
    binaries with different schemas must not share a file, and the made file stays pristine.
    A copy is remade when the binary changed (path or mtime)."""
    base, _ = rows_db(tools, workdir, rows)
    copy = base.replace(".sqlite3", f".{name}.sqlite3")
    stamp = f"{os.path.realpath(binary)} {os.stat(binary).st_mtime_ns}"
    marker = copy + ".binary"
    if not (os.path.exists(copy) and os.path.exists(marker) and open(marker).read() == stamp):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(copy + suffix):
                os.remove(copy + suffix)
        log(f"copying {base} for binary {name}")
        shutil.copyfile(base, copy)
        open(marker, "w").write(stamp)
    return copy


def first_id(server, kind):
    conn = http.client.HTTPConnection(server.host, server.port)
    _, data = request(conn, "GET", f"/client/v4/zones/{ZONE}/{kind}?per_page=5")
    return json.loads(data)["result"][0]["id"]


def sequential_median(server, path, n, budget_s):
    conn = http.client.HTTPConnection(server.host, server.port)
    first, _, _ = timed(conn, "GET", path)  # warms the connection and the page cache
    if first < 1000:
        timed(conn, "GET", path)
    # At least 3 samples, unless one request alone takes a third of the budget (deep pages of
    # slow lists at 1M rows): then as many as fit in the budget, at least 1.
    samples, t_end = [], time.perf_counter() + budget_s
    minimum = 3 if first * 3 < budget_s * 1000 else 1
    while len(samples) < n and (len(samples) < minimum or time.perf_counter() < t_end):
        ms, status, _ = timed(conn, "GET", path)
        if status != 200:
            raise SystemExit(f"GET {path}: {status}")
        samples.append(ms)
    return statistics.median(samples)


def paging(server, rows, n, budget_s):
    pages = max(1, (rows + 19) // 20)
    out = {}
    for kind in LISTS:
        for label, page in (("page 1", 1), ("middle page", max(1, pages // 2)), ("last page", pages)):
            path = f"/client/v4/zones/{ZONE}/{kind}?per_page=20&page={page}"
            out[(kind, label)] = sequential_median(server, path, n, budget_s)
    return out


def wait_pool_full(server, size, timeout_s=120):
    t_end = time.time() + timeout_s
    while time.time() < t_end:
        health = json.loads(urllib.request.urlopen(server.url + "/_emulator/health").read())
        if health.get("key_pool", {}).get("ready", size) >= size:
            return True
        time.sleep(0.05)
    return False


def perf_profile(server, url, seconds, out_file, lua=None):
    """perf record on the server while wrk drives `url`; returns the top self-time symbols."""
    if not shutil.which("perf"):
        return "perf not installed (apt-get install linux-perf)"
    rec = subprocess.Popen(["perf", "record", "-F", "999", "--call-graph", "dwarf,16384", "-p", str(server.pid),
                            "-o", out_file, "--", "sleep", str(seconds)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wrk(url, seconds, lua=lua)
    _, err = rec.communicate()
    if rec.returncode != 0:
        return f"perf record failed: {err.strip()[-300:]}"
    def report(*extra):
        return subprocess.run(["perf", "report", "-i", out_file, "--stdio", "--sort", "sym", "-g", "none", *extra],
                              capture_output=True, text=True).stdout.splitlines()
    rows = lambda lines: [l.rstrip()[:150] for l in lines if l.strip() and not l.startswith("#")]
    self_time = rows(report("--no-children", "--percent-limit", "1.5"))[:15]
    # Inclusive time of the emulator's own layers and of the usual suspects.
    interesting = re.compile(r"\] (storage::|api::|server::Session::(on_read|write_response)|sqlite3_(prepare_v3|step|finalize)"
                             r"|nlohmann.*(dump|serializer)|pthread_mutex_lock|__libc_(pread|sendmsg|recvmsg)|malloc$|_int_free$"
                             r"|_copy_to_iter|server::Logger)")
    inclusive = [l for l in rows(report("--children", "--percent-limit", "0.5")) if interesting.search(l)][:25]
    return "self time (perf report --no-children):\n" + "\n".join(self_time) + \
        "\ninclusive (perf report --children), the emulator's layers:\n" + "\n".join(inclusive)


def measure_binary(name, binary, args, tools, workdir, ceilings):
    """Every emulator figure for one binary. Returns {figure_key: value}."""
    q = args.quick
    d = args.duration
    f = {}
    n_seq = 10 if q else 25

    # Start-up: a new database, and the largest rows database.
    starts = []
    for i in range(3 if q else 5):
        with tempfile.TemporaryDirectory(dir=workdir) as tmp:
            s = emulator(binary, os.path.join(tmp, "new.sqlite3"))
            starts.append(s.started_s * 1000)
            if i == 0:
                wait_pool_full(s, 4)
                time.sleep(0.5)
                f["rss_idle_new"] = s.status("VmRSS")
            s.stop()
    f["start_new"] = statistics.median(starts)
    big = max(args.rows)
    big_db = binary_db(tools, workdir, big, name, binary)
    starts = []
    for _ in range(3 if q else 5):
        s = emulator(binary, big_db)
        starts.append(s.started_s * 1000)
        s.stop()
    f[f"start_rows_{big}"] = statistics.median(starts)

    # Reads and paging at every size.
    peak = 0.0
    for rows in args.rows:
        db = binary_db(tools, workdir, rows, name, binary)
        s = emulator(binary, db)
        try:
            # The key pool's RSA keys are made right after start: let them be, so reads run idle.
            wait_pool_full(s, 4)
            time.sleep(0.5)
            f[f"rss_idle_rows_{rows}"] = s.status("VmRSS")
            csr_id = first_id(s, "custom_csrs")
            if rows in (args.rows[0], 100000):
                log(f"{name}: wrk reads at {rows} rows")
                f[f"get_one_{rows}"] = wrk(f"{s.url}/client/v4/zones/{ZONE}/custom_csrs/{csr_id}", d)
                f[f"get_list_{rows}"] = wrk(f"{s.url}/client/v4/zones/{ZONE}/custom_csrs?per_page=20", d)
                if rows == args.rows[0]:
                    f["get_health"] = wrk(f"{s.url}/_emulator/health", d)
            if args.perf_dir and rows == 100000:
                time.sleep(3)  # requests the last load left queued are served before the profile starts
                log(f"{name}: perf record at {rows} rows")
                os.makedirs(args.perf_dir, exist_ok=True)
                f["perf_get_one"] = perf_profile(s, f"{s.url}/client/v4/zones/{ZONE}/custom_csrs/{csr_id}", 8,
                                                 os.path.join(args.perf_dir, f"{name}_get_one.data"))
                f["perf_get_list"] = perf_profile(s, f"{s.url}/client/v4/zones/{ZONE}/custom_csrs?per_page=20", 8,
                                                  os.path.join(args.perf_dir, f"{name}_get_list.data"))
            log(f"{name}: paging at {rows} rows")
            budget = 15 if rows >= 1000000 else 8
            for key, ms in paging(s, rows, n_seq if rows < 1000000 else 7, budget).items():
                f[("paging", rows) + key] = ms
            peak = max(peak, s.status("VmHWM"))
        finally:
            s.stop()
    f["rss_peak_reads"] = peak

    # Creates, each on a new database.
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        log(f"{name}: POST p256v1")
        s = emulator(binary, os.path.join(tmp, "p256.sqlite3"))
        try:
            conn = http.client.HTTPConnection(s.host, s.port)
            seq = [timed(conn, "POST", f"/client/v4/zones/{ZONE}/custom_csrs", csr_body("p256v1", i))[0]
                   for i in range(n_seq)]
            f["post_p256_p50_seq"] = statistics.median(seq)
            f["post_p256"] = wrk(f"{s.url}/client/v4/zones/{ZONE}/custom_csrs", d, connections=8,
                                 lua=post_lua(workdir, "p256v1"))
            f["rss_peak_p256"] = s.status("VmHWM")
        finally:
            s.stop()

        log(f"{name}: POST rsa2048")
        s = emulator(binary, os.path.join(tmp, "rsa.sqlite3"))
        try:
            pool = 4  # the default --key-pool
            wait_pool_full(s, pool)
            conn = http.client.HTTPConnection(s.host, s.port)
            csr_id = None
            samples = []
            for i in range(5 if q else 10):
                wait_pool_full(s, pool)
                ms, status, data = timed(conn, "POST", f"/client/v4/zones/{ZONE}/custom_csrs", csr_body("rsa2048", i))
                samples.append(ms)
                csr_id = csr_id or json.loads(data)["result"]["id"]
            f["post_rsa_p50_pooled"] = statistics.median(samples)
            wait_pool_full(s, pool)
            get_url = f"{s.url}/client/v4/zones/{ZONE}/custom_csrs/{csr_id}"
            f["get_idle"] = wrk(get_url, d)
            # A GET's latency while the key workers make RSA keys (creates keep the pool empty).
            bg = wrk(f"{s.url}/client/v4/zones/{ZONE}/custom_csrs", d + 4, threads=1, connections=4,
                     lua=post_lua(workdir, "rsa2048"), timeout="60s", background=True)
            time.sleep(2)
            f["get_during_rsa"] = wrk(get_url, d)
            parse_wrk(bg.communicate()[0])
            wait_pool_full(s, pool)
            rsa_seconds = max(d * 2, 10)
            f["post_rsa"] = wrk(f"{s.url}/client/v4/zones/{ZONE}/custom_csrs", rsa_seconds, connections=8,
                                lua=post_lua(workdir, "rsa2048"), timeout="60s")
            # Sustained: the pool's 4 ready keys are not the workers' rate.
            f["post_rsa"]["sustained"] = max(0, f["post_rsa"]["requests"] - pool) / rsa_seconds
            f["rss_peak_rsa"] = s.status("VmHWM")
        finally:
            s.stop()
    return f


def measure_ceilings(args, tools, workdir, binary):
    c = {}
    log("crypto rates in process")
    c["crypto"] = crypto_rates(tools, 2 if args.quick else 4, 5 if args.quick else 12)
    # The body of a real one-CSR response of the binary, served by the ceiling server.
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        s = emulator(binary, os.path.join(tmp, "one.sqlite3"))
        conn = http.client.HTTPConnection(s.host, s.port)
        _, _, data = timed(conn, "POST", f"/client/v4/zones/{ZONE}/custom_csrs", csr_body("p256v1", 0))
        _, body = request(conn, "GET", f"/client/v4/zones/{ZONE}/custom_csrs/{json.loads(data)['result']['id']}")
        s.stop()
    body_file = os.path.join(workdir, "one_csr_body.json")
    open(body_file, "wb").write(body)
    log(f"ceiling server ({len(body)}-byte body)")
    starts = []
    for i in range(3 if args.quick else 5):
        s = Server([os.path.join(tools, "bench_ceiling_server"), "--body-file", body_file], "listening on http://")
        starts.append(s.started_s * 1000)
        if i == 0:
            time.sleep(0.3)
            c["rss_idle"] = s.status("VmRSS")
            c["get"] = wrk(s.url + "/", args.duration)
            c["rss_peak"] = s.status("VmHWM")
        s.stop()
    c["start"] = statistics.median(starts)
    c["body_bytes"] = len(body)
    return c


# ---------------------------------------------------------------------------------------------
# Table


def fmt(v, unit):
    if v is None or (isinstance(v, float) and v != v):
        return "-"
    if unit == "req/s":
        return f"{v:,.0f} req/s" if v >= 100 else f"{v:,.2f} req/s"
    if unit == "ms":
        return f"{v:,.2f} ms" if v < 100 else f"{v:,.0f} ms"
    if unit == "MB":
        return f"{v:.1f} MB"
    return str(v)


def rows_table(f, c, args):
    """(figure, value, ceiling, unit, ratio, goal) rows for one binary's figures `f`."""
    crypto = c["crypto"]
    small = args.rows[0]
    out = []

    def add(figure, value, ceiling, unit, goal, ratio=None, own=False):
        # own: the ceiling is this binary's own figure (e.g. its page 1), not a shared one.
        if ratio is None and value is not None and ceiling:
            ratio = value / ceiling
        out.append((figure, value, ceiling, unit, ratio, goal, own))

    ceil_get = c["get"]["rps"]
    add(f"GET one CSR, wrk -t2 -c32 ({small} rows) vs ceiling server", f[f"get_one_{small}"]["rps"], ceil_get, "req/s", ">= 0.50")
    add(f"GET /_emulator/health (same binary) vs ceiling server", f["get_health"]["rps"], ceil_get, "req/s", "(info)")
    add(f"GET list of 20 CSRs ({small} rows) vs ceiling server", f[f"get_list_{small}"]["rps"], ceil_get, "req/s", ">= 0.25")
    if "get_list_100000" in f:
        add("GET one CSR (100,000 rows) vs ceiling server", f["get_one_100000"]["rps"], ceil_get, "req/s", ">= 0.50")
        add("GET list of 20 CSRs (100,000 rows) vs ceiling server", f["get_list_100000"]["rps"], ceil_get, "req/s", ">= 0.25")
    for kind in LISTS:
        base = f[("paging", small, kind, "page 1")]
        for rows in args.rows:
            for label in ("page 1", "middle page", "last page"):
                if rows == small and label == "page 1":
                    add(f"{kind} {label} @ {rows:,} rows (sequential median)", base, None, "ms", "(base)")
                    continue
                v = f[("paging", rows, kind, label)]
                add(f"{kind} {label} @ {rows:,} rows vs page 1 @ {small:,}", v, base, "ms", "<= 2", own=True)
    raw_2t = crypto[("raw_p256_csr", 2)]
    add("POST p256v1, wrk -c8 vs raw OpenSSL 3 keygen+CSR+PEM (2 threads)", f["post_p256"]["rps"], raw_2t, "req/s", ">= 0.60")
    add("  raw OpenSSL 3 P-256 keygen+CSR+PEM, 1 thread (info)", crypto[("raw_p256_csr", 1)], None, "req/s", "")
    add("  project crypto P-256 keygen+CSR+PEM, 2 threads vs raw (info)", crypto[("p256_csr", 2)], raw_2t, "req/s", "")
    add("  project crypto P-256 keygen+CSR+PEM, 1 thread (info)", crypto[("p256_csr", 1)], None, "req/s", "")
    add("POST p256v1 sequential p50 (info)", f["post_p256_p50_seq"], None, "ms", "")
    rsa_2t = crypto[("rsa2048_key", 2)]
    add("POST rsa2048 sustained, wrk -c8 vs in-process RSA keygen (2 threads)", f["post_rsa"]["sustained"], rsa_2t, "req/s", "(-> 1)")
    add("  in-process RSA-2048 keygen, 1 thread (info)", crypto[("rsa2048_key", 1)], None, "req/s", "")
    add("POST rsa2048 p50 with keys in the pool vs POST p256v1 p50", f["post_rsa_p50_pooled"], f["post_p256_p50_seq"], "ms", "(-> 1)", own=True)
    add("GET one CSR p99 while RSA keys are made vs idle p99", f["get_during_rsa"]["p99"], f["get_idle"]["p99"], "ms", "(-> 1)", own=True)
    add("  GET one CSR req/s while RSA keys are made (info)", f["get_during_rsa"]["rps"], f["get_idle"]["rps"], "req/s", "", own=True)
    add("start-up to listening line, new database vs ceiling server", f["start_new"], c["start"], "ms", "")
    big = max(args.rows)
    add(f"start-up to listening line, {big:,} rows vs new database", f[f"start_rows_{big}"], f["start_new"], "ms", "", own=True)
    add("RSS idle, new database vs ceiling server idle", f["rss_idle_new"], c["rss_idle"], "MB", "tens of MB")
    add(f"RSS idle, {big:,}-row database", f[f"rss_idle_rows_{big}"], c["rss_idle"], "MB", "tens of MB")
    add("RSS peak (VmHWM), reads and paging vs ceiling peak", f["rss_peak_reads"], c["rss_peak"], "MB", "tens of MB")
    add("RSS peak (VmHWM), POST p256v1 load", f["rss_peak_p256"], c["rss_peak"], "MB", "tens of MB")
    add("RSS peak (VmHWM), POST rsa2048 load", f["rss_peak_rsa"], c["rss_peak"], "MB", "tens of MB")
    return out


def print_table(results, c, args, names):
    tables = {n: rows_table(results[n], c, args) for n in names}
    first = tables[names[0]]
    header = ["figure"] + [f"{n}" for n in names] + ["ceiling"] + [f"ratio {n}" if len(names) > 1 else "ratio" for n in names] + ["goal"]
    lines = []
    for i, row in enumerate(first):
        figure, _, ceiling, unit, _, goal, own = row
        values = [fmt(tables[n][i][1], unit) for n in names]
        ratios = [("-" if tables[n][i][4] is None else f"{tables[n][i][4]:.2f}") for n in names]
        # A per-binary base (its own page 1, its own idle p99): each ratio uses its own.
        shown = fmt(ceiling, unit) if not own or len(names) == 1 else \
            " / ".join(f"{n}: {fmt(tables[n][i][2], unit)}" for n in names)
        lines.append([figure] + values + [shown] + ratios + [goal])
    widths = [max(len(str(r[k])) for r in lines + [header]) for k in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in lines:
        print("| " + " | ".join(str(v).ljust(w) for v, w in zip(r, widths)) + " |")


def machine_note():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    return f"{os.cpu_count()} CPUs ({cpu}), load average {open('/proc/loadavg').read().split()[:3]}"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--binary", default=os.path.join(ROOT, "build/server/csr-emulator"))
    p.add_argument("--compare", help="a second csr-emulator binary, measured in the same run")
    p.add_argument("--rows", default="1000,100000",
                   help="comma-separated row counts for paging (first is the base); add 1000000 for the 1M runs")
    p.add_argument("--quick", action="store_true", help="shorter loads and fewer samples")
    p.add_argument("--duration", type=int, help="seconds per wrk load (default 10, --quick 4)")
    p.add_argument("--tools-dir", help="where bench_* helpers are (default: BUILD/tests/bench of --binary)")
    p.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "csr-emulator-bench"),
                   help="cached row databases and scratch files")
    p.add_argument("--perf-dir", help="profile GET one / GET list at 100,000 rows with perf record into DIR")
    p.add_argument("--json", help="also write every raw figure to this file")
    args = p.parse_args()
    args.rows = sorted(int(r) for r in args.rows.split(","))
    args.duration = args.duration or (4 if args.quick else 10)
    binaries = {"A": os.path.abspath(args.binary)}
    if args.compare:
        binaries["B"] = os.path.abspath(args.compare)
    build = os.path.dirname(os.path.dirname(binaries["A"]))
    tools = args.tools_dir or os.path.join(build, "tests", "bench")
    ensure_wrk()
    ensure_tools(binaries["A"], tools)
    os.makedirs(args.workdir, exist_ok=True)

    print(f"csr-emulator benchmark suite, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"machine: {machine_note()} at start")
    for n, b in binaries.items():
        print(f"binary {n}: {b}")
    print(f"rows: {args.rows}; wrk {args.duration} s per load; {'quick' if args.quick else 'full'} run")
    t0 = time.time()
    for rows in args.rows:
        _, info = rows_db(tools, args.workdir, rows)
        print(f"bench_make_rows: {rows:,} rows of each kind (+{info['other_zone_rows']:,} CSRs in another zone) "
              f"in {info['seconds']:.1f} s, {info['db_bytes'] / 1e6:,.0f} MB")
    c = measure_ceilings(args, tools, args.workdir, binaries["A"])
    results = {n: measure_binary(n, b, args, tools, args.workdir, c) for n, b in binaries.items()}
    print(f"ceiling server body: {c['body_bytes']} bytes (the binary's own GET one CSR response)")
    print()
    print_table(results, c, args, list(binaries))
    print()
    for n in binaries:
        f = results[n]
        errors = {k: (v["non2xx"], v["errors"]) for k, v in f.items() if isinstance(v, dict) and (v["non2xx"] or v["errors"])}
        if errors:
            print(f"{n}: wrk loads with non-2xx responses / socket errors: {errors}")
        for key in ("perf_get_one", "perf_get_list"):
            if key in f:
                print(f"\n{n} {key} (100,000 rows):\n{f[key]}")
    print(f"\nmachine: {machine_note()} at end; run took {time.time() - t0:.0f} s")
    if args.json:
        json.dump({"ceilings": {k: ({f"{a}/{b}": r for (a, b), r in v.items()} if k == "crypto" else v)
                                for k, v in c.items()},
                   "results": {n: {str(k): v for k, v in f.items()} for n, f in results.items()}},
                  open(args.json, "w"), indent=1, default=str)


if __name__ == "__main__":
    main()
