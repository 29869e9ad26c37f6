"""Starts the csr-emulator binary ($CSR_EMULATOR_BINARY, set by CTest) for the hostile-client and
durability tests: on 127.0.0.1:0, optionally under `prlimit --nofile=N`, with only the flags given
(a caller's CSR_EMULATOR_* settings are dropped). Readiness is the one stdout line it prints."""
import http.client
import json
import os
import select
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from client_sockets import closed_by_peer, raise_own_descriptor_limit  # noqa: E402,F401  (for the suites)

START_TIMEOUT_SECONDS = 60
ZONE = "023e105f4ecef8ad9ca31a8372d0c353"
AUTH = {"Authorization": "Bearer test"}


def binary():
    path = os.environ.get("CSR_EMULATOR_BINARY")
    if not path or not os.access(path, os.X_OK):
        raise SystemExit("set CSR_EMULATOR_BINARY to the built csr-emulator (ctest does)")
    return path


class Emulator:
    def __init__(self, db, args=(), nofile=None, log_path=None, env=None):
        # Statuses settled at creation unless the caller asks otherwise (a later flag wins).
        command = [binary(), "--listen", "127.0.0.1:0", "--db", db, "--validation", "off", *args]
        if nofile:
            command = ["prlimit", f"--nofile={nofile}", "--", *command]
        env = dict({k: v for k, v in os.environ.items() if not k.startswith("CSR_EMULATOR_")}, **(env or {}))
        self.log_path = log_path or db + ".log"
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=self._log, env=env)
        self.host, self.port = self._wait_ready()

    def _wait_ready(self):
        line = b""
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not line.endswith(b"\n"):
            ready, _, _ = select.select([self.process.stdout], [], [], max(0, deadline - time.monotonic()))
            chunk = os.read(self.process.stdout.fileno(), 4096) if ready else b""
            if not chunk:
                self.process.kill()
                self.process.wait()
                raise RuntimeError(f"csr-emulator did not start: {line!r}\n{self.log_text()}")
            line += chunk
        url = line.decode().strip().rsplit(" ", 1)[-1]  # csr-emulator listening on http://127.0.0.1:PORT
        host, port = url.removeprefix("http://").rsplit(":", 1)
        return host, int(port)

    def log_text(self):
        if not self._log.closed:
            self._log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def request(self, method, path, body=None, headers=None, timeout=30):
        """One request on a new connection: (status, parsed JSON or raw text)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            data = json.dumps(body) if isinstance(body, (dict, list)) else body
            all_headers = dict(AUTH, **(headers or {}))
            if isinstance(body, (dict, list)):
                all_headers["Content-Type"] = "application/json"
            connection.request(method, path, body=data, headers=all_headers)
            response = connection.getresponse()
            raw = response.read().decode()
            try:
                return response.status, json.loads(raw)
            except ValueError:
                return response.status, raw
        finally:
            connection.close()

    def kill(self):
        self.process.kill()
        self.process.wait()
        self._log.close()

    def terminate(self, timeout=30):
        """SIGTERM; returns the exit code."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self._log.close()


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
