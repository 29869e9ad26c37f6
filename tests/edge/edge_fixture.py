"""What the edge tests and the edge benchmark share: an origin that echoes the request it got,
the emulator started with its edge listeners, and the API steps that give a hostname a
certificate signed by the emulator's test CA (CSR -> /_emulator/ca/sign -> custom hostname).
"""
import http.server
import json
import os
import re
import selectors
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from eventually import eventually  # noqa: E402  (the edge suites import it from here)

ZONE = "023e105f4ecef8ad9ca31a8372d0c353"
AUTH = {"Authorization": "Bearer test", "Content-Type": "application/json"}


def answer_json(handler, document, extra_headers=()):
    """A 200 answer of `document` as JSON, with a Content-Length, from an origin's handler."""
    payload = json.dumps(document).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(payload)))
    for name, value in extra_headers:
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(payload)


class EchoHandler(http.server.BaseHTTPRequestHandler):
    """Answers every request with a JSON echo of its method, target and headers."""
    protocol_version = "HTTP/1.1"

    def _echo(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode(errors="replace") if length else ""
        answer_json(self, {"method": self.command, "path": self.path, "body": body,
                           "headers": [[k, v] for k, v in self.headers.items()]},
                    [("X-Accel-Redirect", "/internal")])  # Cloudflare strips X-Accel-*

    do_GET = do_POST = do_PUT = do_DELETE = _echo

    def log_message(self, *args):
        pass


class EchoOrigin:
    def __init__(self, host="127.0.0.1", port=0):
        socketserver.ThreadingMixIn.daemon_threads = True
        self.server = http.server.ThreadingHTTPServer((host, port), EchoHandler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Emulator:
    """The csr-emulator binary with an API listener, a TLS edge and a plain-HTTP edge on port 0."""

    def __init__(self, extra_args=(), nofile=None):
        binary = os.environ["CSR_EMULATOR_BINARY"]
        # Under a lowered descriptor limit: prlimit sets it and execs the binary (same pid).
        launcher = ["prlimit", f"--nofile={nofile}", "--"] if nofile else []
        self.tmp = tempfile.TemporaryDirectory(prefix="csr-emulator-edge-")
        self.stderr = open(os.path.join(self.tmp.name, "stderr.log"), "wb")
        env = {k: v for k, v in os.environ.items() if not k.startswith("CSR_EMULATOR_")}
        self.process = subprocess.Popen(
            [*launcher, binary, "--listen", "127.0.0.1:0", "--db", os.path.join(self.tmp.name, "db.sqlite3"),
             "--edge-listen", "127.0.0.1:0", "--edge-http-listen", "127.0.0.1:0",
             "--validation", "off", *extra_args],  # settled at creation unless a test asks (a later flag wins)
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.stderr, env=env)
        lines = self._read_until_ready()
        self.api = lines["api"]
        self.edge_port = int(lines["https"].rsplit(":", 1)[1])
        self.edge_http_port = int(lines["http"].rsplit(":", 1)[1])
        self.root_pem = os.path.join(self.tmp.name, "root.pem")
        with open(self.root_pem, "wb") as f:
            f.write(urllib.request.urlopen(self.api + "/_emulator/ca/root.pem").read())

    def _read_until_ready(self):
        found, text = {}, b""
        deadline = time.monotonic() + 30
        with selectors.DefaultSelector() as sel:
            sel.register(self.process.stdout, selectors.EVENT_READ)
            while "api" not in found:
                if time.monotonic() > deadline or not sel.select(deadline - time.monotonic()):
                    raise RuntimeError("emulator not ready: " + self.log())
                chunk = os.read(self.process.stdout.fileno(), 4096)
                if not chunk:
                    raise RuntimeError("emulator exited: " + self.log())
                text += chunk
                for line in text.decode().splitlines():
                    if m := re.match(r"csr-emulator edge listening on (https?)://(\S+)$", line):
                        found[m.group(1)] = m.group(2)
                    elif m := re.match(r"csr-emulator listening on (http://\S+)$", line):
                        found["api"] = m.group(1)
        return found

    def peak_rss_kib(self):
        """The process's peak resident memory so far (VmHWM), in KiB."""
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmHWM")

    def log(self):
        self.stderr.flush()
        with open(self.stderr.name, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.stderr.close()
        self.tmp.cleanup()

    # --- the API ---------------------------------------------------------------------------
    def call(self, method, path, body=None, raw=None, headers=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.api + path, data=data, method=method, headers=headers or AUTH)
        try:
            with urllib.request.urlopen(req) as r:
                text = r.read()
        except urllib.error.HTTPError as e:
            text = e.read()
        try:
            return json.loads(text)
        except ValueError:
            return text.decode()

    def create_csr(self, sans, key_type="p256v1"):
        r = self.call("POST", f"/client/v4/zones/{ZONE}/custom_csrs", {
            "country": "US", "state": "MA", "locality": "Boston", "organization": "Edge Test",
            "common_name": sans[0], "sans": sans, "key_type": key_type})
        assert r["success"], r
        return r["result"]["id"], r["result"]["csr"]

    def sign(self, csr_pem):
        return self.call("POST", "/_emulator/ca/sign", raw=csr_pem.encode(), headers={"Content-Type": "text/plain"})

    def create_hostname(self, hostname, csr_id, chain, origin=None, settings=None):
        ssl = {"custom_csr_id": csr_id, "custom_certificate": chain}
        if settings:
            ssl["settings"] = settings
        body = {"hostname": hostname, "ssl": ssl}
        if origin:
            body["custom_origin_server"] = origin
        r = self.call("POST", f"/client/v4/zones/{ZONE}/custom_hostnames", body)
        assert r["success"], r
        return r["result"]["id"]

    def hostname(self, hostname_id):
        return self.call("GET", f"/client/v4/zones/{ZONE}/custom_hostnames/{hostname_id}")["result"]

    def wait_active(self, hostname_id, timeout=30):
        """Polls until the hostname and its certificate are both active, as a client would."""
        return eventually(lambda: self.hostname(hostname_id),
                          lambda h: h["status"] == "active" and h["ssl"]["status"] == "active",
                          f"hostname {hostname_id} and its certificate active", timeout, 0.1)

    def serve(self, hostname, origin=None, settings=None, key_type="p256v1"):
        """A live custom hostname with a certificate over a CSR of the emulator: (id, csr_id, csr, chain)."""
        csr_id, csr = self.create_csr([hostname], key_type)
        chain = self.sign(csr)
        hostname_id = self.create_hostname(hostname, csr_id, chain, origin, settings)
        self.wait_active(hostname_id)
        return hostname_id, csr_id, csr, chain


def run_suite(namespace, edge, *args):
    """Runs every test_* function of a suite (`namespace`: its globals()) as fn(edge, *args), in
    order, printing ok or FAIL with the traceback for each and the emulator's log tail after a
    failure; returns the exit status. Stopping what the suite started stays with the suite."""
    failures = 0
    tests = [(name, fn) for name, fn in namespace.items() if name.startswith("test_")]
    for name, fn in tests:
        try:
            fn(edge, *args)
            print(f"ok   {name}", flush=True)
        except Exception:
            failures += 1
            print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)
    if failures:
        print("emulator log:\n" + edge.log()[-4000:], flush=True)
    print(f"{len(tests) - failures}/{len(tests)} passed", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    # `python3 edge_fixture.py`: an echo origin for shell tests; prints its port, serves until killed.
    origin = EchoOrigin()
    print(origin.port, flush=True)
    threading.Event().wait()
