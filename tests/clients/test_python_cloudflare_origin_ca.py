#!/usr/bin/python3
"""Debian's python3-cloudflare 2.11.1 (`import CloudFlare`), unmodified, against the emulator's
zones and Origin CA: cf.zones.post / get, then cf.certificates.post / get / delete with the Origin
CA service key (certtoken: X-Auth-User-Service-Key), the certificate verified with `openssl
verify` against the published Origin CA root, and the client's own errors for refusals.

Run through CTest (which sets CSR_EMULATOR_BINARY), with Debian's interpreter: /usr/bin/python3.
"""
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.request

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from python_cloudflare import CloudFlare, CloudFlareAPIError, Emulator  # noqa: E402

SERVICE_KEY = "v1.0-0123456789abcdef01234567-" + "b" * 146
ACCOUNT = "01a7362d577a6c3019a474fd6f485823"

emulator = None


def setUpModule():
    global emulator
    emulator = Emulator(["--key-pool", "0"])


def tearDownModule():
    problems, log = emulator.shut_down()
    assert not problems, f"{problems}; stderr:\n{log}"


def openssl(*args, stdin=None):
    return subprocess.run(["openssl", *args], input=stdin, capture_output=True, text=True, check=False)


class OriginCa(unittest.TestCase):
    def setUp(self):
        base_url = emulator.url + "/client/v4"
        self.cf = CloudFlare.CloudFlare(token="test", base_url=base_url)
        self.certs = CloudFlare.CloudFlare(certtoken=SERVICE_KEY, base_url=base_url)
        self.work = tempfile.mkdtemp()

    def csr(self, name, key_args):
        key, csr = os.path.join(self.work, name + ".key"), os.path.join(self.work, name + ".csr")
        made = openssl("req", "-new", "-nodes", *key_args, "-keyout", key, "-subj", "/CN=" + name, "-out", csr)
        self.assertEqual(made.returncode, 0, made.stderr)
        with open(csr) as f:
            return key, f.read()

    def test_zone_then_origin_certificate_verified_and_revoked(self):
        zone = self.cf.zones.post(data={"name": "python-origin.io", "account": {"id": ACCOUNT}})
        self.assertEqual(zone["status"], "active")
        self.assertEqual(self.cf.zones.get(params={"name": "python-origin.io"})[0]["id"], zone["id"])
        self.assertEqual(self.cf.zones.get(zone["id"])["name"], "python-origin.io")

        key, csr = self.csr("www.python-origin.io", ["-newkey", "rsa:2048"])
        cert = self.certs.certificates.post(data={"csr": csr, "hostnames": ["python-origin.io", "*.python-origin.io"],
                                                  "request_type": "origin-rsa", "requested_validity": 90})
        self.assertEqual(len(cert["id"]), 48)
        self.assertEqual(cert["hostnames"], ["python-origin.io", "*.python-origin.io"])
        self.assertTrue(cert["expires_on"].endswith(" +0000 UTC"), cert["expires_on"])

        root = os.path.join(self.work, "origin-rsa.pem")
        with urllib.request.urlopen(emulator.url + "/_emulator/ca/origin-rsa.pem", timeout=60) as answer, \
                open(root, "wb") as f:
            f.write(answer.read())
        leaf = os.path.join(self.work, "leaf.pem")
        with open(leaf, "w") as f:
            f.write(cert["certificate"])
        verified = openssl("verify", "-CAfile", root, leaf)
        self.assertIn(": OK", verified.stdout, verified.stderr)
        # The certificate is for the CSR's key, which never left this test.
        self.assertEqual(openssl("x509", "-in", leaf, "-noout", "-pubkey").stdout,
                         openssl("pkey", "-in", key, "-pubout").stdout)

        listed = self.certs.certificates.get(params={"zone_id": zone["id"]})
        self.assertEqual([c["id"] for c in listed], [cert["id"]])
        self.assertEqual(self.certs.certificates.get(cert["id"])["certificate"], cert["certificate"])
        revoked = self.certs.certificates.delete(cert["id"])
        self.assertEqual(revoked["id"], cert["id"])
        self.assertIn("revoked_at", self.certs.certificates.get(cert["id"]))
        self.assertEqual(self.cf.zones.delete(zone["id"])["id"], zone["id"])

    def test_refusals_reach_the_client_as_cloudflare_errors(self):
        _, csr = self.csr("www.nowhere.io", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"])
        with self.assertRaises(CloudFlareAPIError) as caught:
            self.certs.certificates.post(data={"csr": csr, "hostnames": ["www.nowhere.io"], "request_type": "origin-ecc"})
        self.assertEqual(int(caught.exception), 1010)
        with self.assertRaises(CloudFlareAPIError) as caught:
            self.certs.certificates.get()
        self.assertEqual(int(caught.exception), 1012)
        with self.assertRaises(CloudFlareAPIError) as caught:
            self.cf.zones.post(data={"name": "python-origin-dup.io", "account": {"id": ACCOUNT}})
            self.cf.zones.post(data={"name": "python-origin-dup.io", "account": {"id": ACCOUNT}})
        self.assertEqual(int(caught.exception), 1061)


if __name__ == "__main__":
    unittest.main(verbosity=2)
