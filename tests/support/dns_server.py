"""A DNS server with a customer's records for the Python script suites (official clients, edge):
dnsmasq on 127.0.0.1 and a free port, run by the dns_fixture binary, which drives it through the
C++ suites' own helper (support/dnsmasq.hpp; protocol in support/dns_fixture.cpp). CTest gives
the binary's path in $CSR_DNS_FIXTURE.

Records: {"cnames": [(name, target)], "txts": [(name, value)], "addresses": [(name, ip)]}. dnsmasq
answers only for the domains (last two labels) of the names given, NXDOMAIN for their missing
names and REFUSED elsewhere; it answers a CNAME only if the chain ends at an address.
"""
import json
import os
import selectors
import subprocess
import time

ANSWER_TIMEOUT_SECONDS = 20


class DnsServer:
    def __init__(self, records):
        binary = os.environ.get("CSR_DNS_FIXTURE")
        if not binary:
            raise RuntimeError("CSR_DNS_FIXTURE is not set: run this suite through ctest, "
                               "or export it to the path of the built dns_fixture")
        self.process = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            answer = self._send(records)
            if not answer.startswith("ready "):
                raise RuntimeError(f"dns_fixture did not start dnsmasq: {answer}")
        except BaseException:
            self.stop()
            raise
        self.address = answer.split()[1]  # for --dns-server
        self.port = int(self.address.rsplit(":", 1)[1])

    def replace(self, records):
        """Serves `records` instead, on the same port (dnsmasq restarted)."""
        answer = self._send(records)
        if answer != "ok":
            raise RuntimeError(f"dns_fixture could not load the records: {answer}")

    def _send(self, records):
        self.process.stdin.write(json.dumps(records) + "\n")
        self.process.stdin.flush()
        deadline = time.monotonic() + ANSWER_TIMEOUT_SECONDS
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(max(0, deadline - time.monotonic())):
                raise RuntimeError(f"dns_fixture gave no answer within {ANSWER_TIMEOUT_SECONDS}s")
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"dns_fixture exited with {self.process.wait()}")
        return line.strip()

    def stop(self):
        """Stops dnsmasq (end of input) and waits for the fixture."""
        if self.process.poll() is not None:
            return
        self.process.stdin.close()
        try:
            self.process.wait(timeout=ANSWER_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()  # dnsmasq follows it (PR_SET_PDEATHSIG)
            self.process.wait()
