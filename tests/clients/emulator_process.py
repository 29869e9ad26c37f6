"""Starts the csr-emulator binary for a client suite and stops it again.

The binary comes from $CSR_EMULATOR_BINARY (CTest sets it). It listens on 127.0.0.1:0 with a
database in a temporary directory; readiness is the one stdout line it prints once listening.
"""
import json
import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from eventually import eventually  # noqa: E402

__all__ = ["Emulator", "eventually", "isolate_from_user_settings"]

READY_LINE = re.compile(rb"^csr-emulator listening on (http://[^\s]+)\n$")
START_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 30


def isolate_from_user_settings():
    """python-cloudflare reads credentials and base_url from the environment and from
    ./.cloudflare.cfg, ~/.cloudflare.cfg and ~/.cloudflare/cloudflare.cfg, the files winning over
    the environment; requests reads proxies and ~/.netrc. A developer's own settings must change
    nothing in a suite, so it runs with an empty HOME and working directory and no such
    variables. Call before importing CloudFlare; the directory lives as long as the process."""
    global _hermetic_dir
    _hermetic_dir = tempfile.TemporaryDirectory(prefix="csr-emulator-python-home-")
    for name in list(os.environ):
        if name.startswith(("CLOUDFLARE_", "CF_API_")) or name.lower() in (
                "http_proxy", "https_proxy", "all_proxy", "no_proxy", "requests_ca_bundle", "curl_ca_bundle"):
            del os.environ[name]
    os.environ["HOME"] = _hermetic_dir.name
    os.environ["NO_PROXY"] = "*"
    os.chdir(_hermetic_dir.name)


class Emulator:
    def __init__(self, args=()):
        """`args`: flags added after --listen and --db (e.g. ["--rate-limit", "on"])."""
        binary = os.environ.get("CSR_EMULATOR_BINARY")
        if not binary:
            raise RuntimeError("CSR_EMULATOR_BINARY is not set: run this suite through ctest, "
                               "or export it to the path of the built csr-emulator")
        if not os.access(binary, os.X_OK):
            raise RuntimeError(f"CSR_EMULATOR_BINARY={binary} is not an executable file")
        self._tmp = tempfile.TemporaryDirectory(prefix="csr-emulator-client-")
        self.stderr_path = os.path.join(self._tmp.name, "stderr.log")
        # Only our flags configure the emulator: a CSR_EMULATOR_* setting in the caller's
        # environment (say, CSR_EMULATOR_API_TOKENS) would change what the suite tests.
        env = {k: v for k, v in os.environ.items() if not k.startswith("CSR_EMULATOR_")}
        self._stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(
            # Statuses settled at creation unless a suite asks otherwise (a later --validation wins).
            [binary, "--listen", "127.0.0.1:0", "--db", os.path.join(self._tmp.name, "db.sqlite3"), "--validation", "off",
             *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._stderr, env=env)
        try:
            self.url = self._wait_ready()
        except BaseException:
            self.process.kill()
            self.process.wait()
            raise

    def _wait_ready(self):
        line = b""
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            while not line.endswith(b"\n"):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    raise RuntimeError(f"csr-emulator printed no listening line within {START_TIMEOUT_SECONDS}s; "
                                       f"stderr:\n{self.stderr_text()}")
                chunk = os.read(self.process.stdout.fileno(), 4096)
                if not chunk:
                    raise RuntimeError(f"csr-emulator exited with {self.process.wait()} before listening; "
                                       f"stdout: {line!r}; stderr:\n{self.stderr_text()}")
                line += chunk
        match = READY_LINE.match(line)
        if not match:
            raise RuntimeError(f"unexpected first stdout output from csr-emulator: {line!r}")
        return match.group(1).decode()

    def call(self, method, path, body=None):
        """An /_emulator/ route (no Cloudflare credentials): (status, decoded JSON envelope)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def ca_sign(self, csr_pem, days=None):
        """The test CA's chain (leaf + intermediate PEM) for a CSR.

        POST /_emulator/ca/sign is the emulator's own route, which no Cloudflare client knows (and
        which takes no auth): a PEM body, or JSON {"csr", "days"} for another lifetime than 90 days.
        """
        if days is None:
            body, content_type = csr_pem.encode(), "application/pkcs10"
        else:
            body, content_type = json.dumps({"csr": csr_pem, "days": days}).encode(), "application/json"
        request = urllib.request.Request(self.url + "/_emulator/ca/sign", data=body, method="POST",
                                         headers={"Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=60) as response:
            chain = response.read().decode()
            if response.status != 200 or chain.count("-----BEGIN CERTIFICATE-----\n") != 2:
                raise AssertionError(f"/_emulator/ca/sign answered {response.status}: {chain!r}")
        return chain

    def advance_clock(self, by):
        """Moves the emulator's clock forward (POST /_emulator/clock {"advance": by}, e.g. "1h"),
        so time passes inside the emulator without the suite sleeping through it."""
        status, body = self.call("POST", "/_emulator/clock", {"advance": by})
        if status != 200:
            raise AssertionError(f"advancing the clock by {by} answered {status}: {body}")
        return body["result"]

    def stderr_text(self):
        if not self._stderr.closed:
            self._stderr.flush()
        with open(self.stderr_path, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self):
        """SIGTERM; returns (exit code, whatever else it printed on stdout)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            rest, _ = self.process.communicate(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise RuntimeError(f"csr-emulator did not stop within {STOP_TIMEOUT_SECONDS}s of SIGTERM")
        finally:
            self._stderr.close()
        return self.process.returncode, rest

    def shut_down(self, name="csr-emulator"):
        """stop() + cleanup() as every suite's teardown does: returns (problems, stderr log), where
        problems lists a non-zero exit after SIGTERM and anything printed after the listening line."""
        problems = []
        try:
            code, rest = self.stop()
            if code != 0:
                problems.append(f"{name} exited with {code} after SIGTERM")
            if rest != b"":
                problems.append(f"{name} printed more than the listening line on stdout: {rest!r}")
        finally:
            log = self.stderr_text()
            self.cleanup()
        return problems, log

    def cleanup(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if not self._stderr.closed:
            self._stderr.close()
        self._tmp.cleanup()
