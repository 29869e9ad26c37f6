#!/usr/bin/python3
"""Debian's python3-cloudflare 2.11.1 (`import CloudFlare`), unmodified, against csr-emulator.

Run through CTest (which sets CSR_EMULATOR_BINARY), with Debian's interpreter: /usr/bin/python3.
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest
import uuid
from datetime import datetime

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from emulator_process import Emulator  # noqa: E402

# python-cloudflare reads credentials and base_url from the environment and from
# ./.cloudflare.cfg, ~/.cloudflare.cfg and ~/.cloudflare/cloudflare.cfg, the files winning over
# the environment; requests reads proxies and ~/.netrc. A developer's own settings must change
# nothing here, so the suite runs with an empty HOME and working directory and no such variables.
_HERMETIC_DIR = tempfile.TemporaryDirectory(prefix="csr-emulator-python-home-")
for _name in list(os.environ):
    if _name.startswith(("CLOUDFLARE_", "CF_API_")) or _name.lower() in (
            "http_proxy", "https_proxy", "all_proxy", "no_proxy", "requests_ca_bundle", "curl_ca_bundle"):
        del os.environ[_name]
os.environ["HOME"] = _HERMETIC_DIR.name
os.environ["NO_PROXY"] = "*"
os.chdir(_HERMETIC_DIR.name)

import CloudFlare  # noqa: E402
from CloudFlare.exceptions import CloudFlareAPIError  # noqa: E402

ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PEM_HEAD = "-----BEGIN CERTIFICATE REQUEST-----\n"
PEM_TAIL = "-----END CERTIFICATE REQUEST-----\n"
NOT_FOUND = "The custom CSR was not found."
ID_INVALID = "The custom CSR ID is invalid. Check your input and try again."

emulator = None
emulator_log = ""


def setUpModule():
    global emulator
    emulator = Emulator()
    # The client appends /zones/... to this; CLOUDFLARE_API_URL is the documented way to
    # point it elsewhere (read_configs.py).
    os.environ["CLOUDFLARE_API_URL"] = emulator.url + "/client/v4"


def tearDownModule():
    global emulator_log
    try:
        code, rest = emulator.stop()
        assert code == 0, f"csr-emulator exited with {code} after SIGTERM; stderr:\n{emulator.stderr_text()}"
        assert rest == b"", f"csr-emulator printed more than the listening line on stdout: {rest!r}"
    finally:
        emulator_log = emulator.stderr_text()
        emulator.cleanup()


def new_zone():
    """A zone of its own per test, so lists see only that test's CSRs."""
    return uuid.uuid4().hex


def client(**kwargs):
    kwargs.setdefault("token", "test")
    return CloudFlare.CloudFlare(**kwargs)


def csr_body(**overrides):
    body = {
        "country": "US",
        "state": "California",
        "locality": "San Francisco",
        "organization": "Acme, Inc.",
        "common_name": "app.acme.io",
        "sans": ["app.acme.io", "www.acme.io"],
        "key_type": "p256v1",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def openssl(args, pem):
    return subprocess.run(["openssl", "req", "-noout", *args], input=pem, capture_output=True, text=True,
                          check=False)


def split_rfc2253(text):
    fields = {}
    for part in re.split(r"(?<!\\),", text):
        key, _, value = part.partition("=")
        fields[key] = re.sub(r"\\(.)", r"\1", value)
    return fields


class OpensslChecks:
    def assert_csr(self, pem, *, subject, sans, key_type):
        self.assertTrue(pem.startswith(PEM_HEAD), pem[:80])
        self.assertTrue(pem.endswith(PEM_TAIL), pem[-80:])
        verify = openssl(["-verify"], pem)
        self.assertEqual(verify.returncode, 0, verify.stderr)
        self.assertIn("verify OK", verify.stdout + verify.stderr)

        shown = openssl(["-subject", "-nameopt", "RFC2253"], pem)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertEqual(split_rfc2253(shown.stdout.strip().removeprefix("subject=")), subject)

        text = openssl(["-text"], pem)
        self.assertEqual(text.returncode, 0, text.stderr)
        san_line = re.search(r"X509v3 Subject Alternative Name:.*\n\s*(.+)\n", text.stdout)
        self.assertIsNotNone(san_line, text.stdout)
        self.assertEqual(san_line.group(1).strip(), ", ".join("DNS:" + s for s in sans))
        if key_type == "p256v1":
            self.assertIn("Public Key Algorithm: id-ecPublicKey", text.stdout)
            self.assertIn("ASN1 OID: prime256v1", text.stdout)
            self.assertIn("Signature Algorithm: ecdsa-with-SHA256", text.stdout)
        else:
            self.assertIn("Public Key Algorithm: rsaEncryption", text.stdout)
            self.assertIn("Public-Key: (2048 bit)", text.stdout)
            self.assertIn("Signature Algorithm: sha256WithRSAEncryption", text.stdout)


class CustomCsrs(unittest.TestCase, OpensslChecks):
    def assert_api_error(self, call, code, message):
        with self.assertRaises(CloudFlareAPIError) as caught:
            call()
        self.assertEqual(int(caught.exception), code, str(caught.exception))
        self.assertEqual(str(caught.exception), message)

    def test_create_p256v1(self):
        cf = client()
        zone = new_zone()
        body = csr_body(organizational_unit="Platform", name="edge p256", description="for the EU edge",
                        sans=["www.acme.io", "app.acme.io", "api.acme.io"])
        created = cf.zones.custom_csrs.post(zone, data=body)
        self.assertRegex(created["id"], UUID_RE)
        datetime.fromisoformat(created["created_at"].replace("Z", "+00:00"))
        self.assertEqual(created["key_type"], "p256v1")
        for field in ("country", "state", "locality", "organization", "organizational_unit", "common_name",
                      "name", "description"):
            self.assertEqual(created[field], body[field], field)
        self.assertEqual(created["sans"], ["www.acme.io", "app.acme.io", "api.acme.io"])  # order kept
        self.assertNotIn("account_tag", created)
        self.assertNotIn("private_key", created)
        self.assert_csr(created["csr"], key_type="p256v1", sans=body["sans"], subject={
            "CN": "app.acme.io", "OU": "Platform", "O": "Acme, Inc.", "L": "San Francisco", "ST": "California",
            "C": "US"})

    def test_create_rsa2048_is_the_default_key_type(self):
        cf = client()
        body = csr_body(key_type=None, common_name="shop.acme.io", sans=["shop.acme.io"])
        created = cf.zones.custom_csrs.post(new_zone(), data=body)
        self.assertEqual(created["key_type"], "rsa2048")
        self.assertEqual(created["sans"], ["shop.acme.io"])
        self.assertNotIn("organizational_unit", created)
        self.assert_csr(created["csr"], key_type="rsa2048", sans=["shop.acme.io"], subject={
            "CN": "shop.acme.io", "O": "Acme, Inc.", "L": "San Francisco", "ST": "California", "C": "US"})

    def test_create_rsa2048_explicitly(self):
        created = client().zones.custom_csrs.post(new_zone(), data=csr_body(key_type="rsa2048"))
        self.assertEqual(created["key_type"], "rsa2048")
        self.assert_csr(created["csr"], key_type="rsa2048", sans=["app.acme.io", "www.acme.io"], subject={
            "CN": "app.acme.io", "O": "Acme, Inc.", "L": "San Francisco", "ST": "California", "C": "US"})

    def test_get_by_id_equals_created(self):
        cf = client()
        zone = new_zone()
        for key_type in ("p256v1", "rsa2048"):
            with self.subTest(key_type=key_type):
                created = cf.zones.custom_csrs.post(zone, data=csr_body(key_type=key_type))
                self.assertEqual(cf.zones.custom_csrs.get(zone, created["id"]), created)

    def test_list_pages_of_five(self):
        cf = client()
        raw = client(raw=True)  # raw=True also hands back result_info
        zone = new_zone()
        ids = [cf.zones.custom_csrs.post(zone, data=csr_body(common_name=f"n{i}.acme.io", sans=[f"n{i}.acme.io"]))["id"]
               for i in range(12)]
        self.assertEqual(len(set(ids)), 12)

        seen = []
        for page, expected in ((1, 5), (2, 5), (3, 2)):
            with self.subTest(page=page):
                got = raw.zones.custom_csrs.get(zone, params={"page": page, "per_page": 5})
                self.assertEqual(got["result_info"], {"page": page, "per_page": 5, "count": expected,
                                                      "total_count": 12, "total_pages": 3})
                self.assertEqual(len(got["result"]), expected)
                seen += [c["id"] for c in got["result"]]
        self.assertEqual(seen, ids, "pages must list the CSRs in creation order")

        self.assertEqual(cf.zones.custom_csrs.get(zone, params={"page": 4, "per_page": 5}), [])
        past = raw.zones.custom_csrs.get(zone, params={"page": 4, "per_page": 5})
        self.assertEqual(past["result_info"], {"page": 4, "per_page": 5, "count": 0, "total_count": 12,
                                               "total_pages": 3})

        everything = raw.zones.custom_csrs.get(zone)  # zone lists default to 20 per page
        self.assertEqual(everything["result_info"]["per_page"], 20)
        self.assertEqual([c["id"] for c in everything["result"]], ids)
        self.assertEqual(everything["result"][0], cf.zones.custom_csrs.get(zone, ids[0]))

    def test_per_page_is_clamped(self):
        raw = client(raw=True)
        zone = new_zone()
        client().zones.custom_csrs.post(zone, data=csr_body())
        self.assertEqual(raw.zones.custom_csrs.get(zone, params={"per_page": 1})["result_info"]["per_page"], 5)
        self.assertEqual(raw.zones.custom_csrs.get(zone, params={"per_page": 500})["result_info"]["per_page"], 50)

    def test_empty_zone_lists_nothing(self):
        self.assertEqual(client().zones.custom_csrs.get(new_zone()), [])

    def test_delete_then_get_is_1419(self):
        cf = client()
        zone = new_zone()
        keep = cf.zones.custom_csrs.post(zone, data=csr_body())
        gone = cf.zones.custom_csrs.post(zone, data=csr_body())
        self.assertEqual(cf.zones.custom_csrs.delete(zone, gone["id"]), {"id": gone["id"]})
        self.assert_api_error(lambda: cf.zones.custom_csrs.get(zone, gone["id"]), 1419, NOT_FOUND)
        self.assert_api_error(lambda: cf.zones.custom_csrs.delete(zone, gone["id"]), 1419, NOT_FOUND)
        self.assertEqual([c["id"] for c in cf.zones.custom_csrs.get(zone)], [keep["id"]])

    def test_unknown_id_is_1419(self):
        cf = client()
        self.assert_api_error(lambda: cf.zones.custom_csrs.get(ZONE_ID, str(uuid.uuid4())), 1419, NOT_FOUND)

    def test_malformed_id_is_1418(self):
        cf = client()
        for bad in ("not-a-uuid", "7b163417-1d2b-4c84-a38a-2fb7a0cd775", "7b1634171d2b4c84a38a2fb7a0cd7752"):
            with self.subTest(id=bad):
                self.assert_api_error(lambda: cf.zones.custom_csrs.get(ZONE_ID, bad), 1418, ID_INVALID)
                self.assert_api_error(lambda: cf.zones.custom_csrs.delete(ZONE_ID, bad), 1418, ID_INVALID)

    def test_zone_isolation(self):
        cf = client()
        zone_a, zone_b = new_zone(), new_zone()
        created = cf.zones.custom_csrs.post(zone_a, data=csr_body())
        self.assert_api_error(lambda: cf.zones.custom_csrs.get(zone_b, created["id"]), 1419, NOT_FOUND)
        self.assert_api_error(lambda: cf.zones.custom_csrs.delete(zone_b, created["id"]), 1419, NOT_FOUND)
        self.assertEqual(cf.zones.custom_csrs.get(zone_b), [])
        self.assertEqual(cf.zones.custom_csrs.get(zone_a, created["id"]), created)

    def test_validation_errors(self):
        cf = client()
        zone = new_zone()
        cases = [
            ("1405: country is required", csr_body(country=None), 1405,
             "Country field is required. Check your input and try again."),
            ("1406: state is required", csr_body(state=None), 1406,
             "State field is required. Check your input and try again."),
            ("1407: locality is required", csr_body(locality=None), 1407,
             "Locality field is required. Check your input and try again."),
            ("1408: organization is required", csr_body(organization=None), 1408,
             "Organization field is required. Check your input and try again."),
            ("1409: common name is required", csr_body(common_name=None), 1409,
             "Common Name field is required. Check your input and try again."),
            ("1410: common name of 65 characters", csr_body(common_name="a" * 57 + ".acme.io"), 1410,
             "The specified Common Name is too long. Maximum allowed length is 64 characters. "
             "Check your input and try again."),
            ("1411: no SANs", csr_body(sans=[]), 1411,
             "At least one subject alternative name (SAN) is required. Check your input and try again."),
            ("1412: IP address SAN", csr_body(sans=["192.0.2.10"]), 1412, None),
            ("1413: non-ASCII SAN", csr_body(sans=["bücher.acme.io"]), 1413,
             "SANs with non-ASCII characters are not supported. Check your input and try again."),
            ("1414: reserved TLD", csr_body(sans=["app.acme.test"]), 1414,
             "Reserved top domain SAN (test, example, invalid, localhost) not supported. "
             "Check your input and try again."),
            ("1416: example.com", csr_body(sans=["shop.example.com"]), 1416,
             "SANs ending in example.com, example.net, or example.org are prohibited. "
             "Check your input and try again."),
            ("1417: key type", csr_body(key_type="rsa4096"), 1417,
             "Invalid key type. Only 'rsa2048' or 'p256v1' is accepted. Check your input and try again."),
            ("1400: sans of the wrong type", csr_body(sans="app.acme.io"), 1400, None),
        ]
        for label, body, code, message in cases:
            with self.subTest(label):
                with self.assertRaises(CloudFlareAPIError) as caught:
                    cf.zones.custom_csrs.post(zone, data=body)
                self.assertEqual(int(caught.exception), code, str(caught.exception))
                if message is not None:
                    self.assertEqual(str(caught.exception), message)
                else:
                    self.assertNotEqual(str(caught.exception), "")
        self.assertEqual(cf.zones.custom_csrs.get(zone), [], "no failed create may leave a CSR behind")

    def test_body_that_is_not_json_is_1400(self):
        # A str body is sent as-is (with Content-Type application/javascript).
        self.assert_api_error(lambda: client().zones.custom_csrs.post(new_zone(), data="{not json"), 1400,
                              "Unable to decode the JSON request body. Check your input and try again.")

    def test_email_and_global_key(self):
        # X-Auth-Email + X-Auth-Key instead of a bearer token.
        cf = CloudFlare.CloudFlare(email="dev@acme.io", key="0123456789abcdef0123456789abcdef01234")
        zone = new_zone()
        created = cf.zones.custom_csrs.post(zone, data=csr_body())
        self.assertEqual(cf.zones.custom_csrs.get(zone, created["id"]), created)


if __name__ == "__main__":
    outcome = unittest.main(verbosity=2, exit=False).result
    if not outcome.wasSuccessful():
        sys.stderr.write("\n--- csr-emulator stderr ---\n" + emulator_log)
    sys.exit(0 if outcome.wasSuccessful() else 1)
