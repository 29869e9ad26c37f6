#!/usr/bin/python3
"""Debian's python3-cloudflare 2.11.1 (`import CloudFlare`), unmodified, against csr-emulator.

Run through CTest (which sets CSR_EMULATOR_BINARY), with Debian's interpreter: /usr/bin/python3.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# First: python_cloudflare isolates the suite from the developer's settings, then imports the client.
from python_cloudflare import CloudFlare, CloudFlareAPIError, Emulator, Wire, requests  # noqa: E402

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
    problems, emulator_log = emulator.shut_down()
    assert not problems, f"{problems}; stderr:\n{emulator_log}"


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



# Custom hostnames and custom certificates: certificates for a custom CSR's key, issued by the
# emulator's test CA (standing in for the customer's CA).

HOSTNAME_NOT_FOUND = "The custom hostname was not found."
CERTIFICATE_NOT_FOUND = "Custom certificate not found."
CSR_IN_USE = ("The custom CSR is associated with an active certificate pack. You will need to delete all "
              "associated active certificate packs before you can delete the custom CSR.")
UNTRUSTED_CHAIN = "The certificate chain you uploaded cannot be bundled using Cloudflare's trust store."


def ca_sign(csr_pem, days=None):
    """The test CA's chain for a CSR (Emulator.ca_sign: the emulator's own route)."""
    return emulator.ca_sign(csr_pem, days)


def leaf_facts(chain_pem):
    """What openssl reads from a chain's first (leaf) certificate, in the API's formats: the
    serial number in decimal, the issuer's CN, notAfter in RFC 3339, the DNS SANs."""
    run = subprocess.run(["openssl", "x509", "-noout", "-serial", "-issuer", "-enddate", "-dateopt", "iso_8601",
                          "-nameopt", "RFC2253", "-ext", "subjectAltName"],
                         input=chain_pem, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise AssertionError(run.stderr)
    serial = re.search(r"^serial=([0-9A-F]+)$", run.stdout, re.M).group(1)
    issuer = split_rfc2253(re.search(r"^issuer=(.+)$", run.stdout, re.M).group(1))
    day, time_of_day = re.search(r"^notAfter=(\S+) (\S+)$", run.stdout, re.M).groups()
    sans = re.search(r"X509v3 Subject Alternative Name:.*\n\s*(.+)\n", run.stdout).group(1).strip().split(", ")
    return {"serial_number": str(int(serial, 16)), "issuer": issuer["CN"],
            "expires_on": f"{day}T{time_of_day}", "hosts": [s.removeprefix("DNS:") for s in sans]}


def self_signed(hostname, *, ca=False):
    """(certificate PEM, private key PEM) from `openssl req -x509`: a root no trust store knows.
    basicConstraints is explicit, as Debian's openssl.cnf marks `req -x509` certificates CA:TRUE,
    which the emulator answers with "no leaf" rather than with "untrusted"."""
    with tempfile.TemporaryDirectory(prefix="csr-emulator-self-signed-") as tmp:
        cert_path, key_path = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
        run = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                              "-nodes", "-keyout", key_path, "-out", cert_path, "-days", "30",
                              "-subj", f"/CN={hostname}", "-addext", f"subjectAltName=DNS:{hostname}",
                              "-addext", f"basicConstraints=critical,CA:{'TRUE' if ca else 'FALSE'}"],
                             capture_output=True, text=True, check=False)
        if run.returncode != 0:
            raise AssertionError(run.stderr)
        with open(cert_path) as cert, open(key_path) as key:
            return cert.read(), key.read()


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class CustomHostnamesAndCertificates(unittest.TestCase):
    maxDiff = None

    def call(self, call, status):
        """Runs one client call, which must send one request answered with `status`; its result."""
        with Wire() as wire:
            result = call()
        self.assertEqual(len(wire.exchanges), 1, wire.exchanges)
        self.assertEqual(wire.exchanges[0][2], status, wire.exchanges[0][:2])
        return result

    def assert_refused(self, call, status, code, message=None, prefix=None):
        """The call raises CloudFlareAPIError(code, message) after one request answered with
        `status`; `prefix` for messages the emulator ends with the certificate verifier's detail.
        Returns the exchange."""
        with Wire() as wire, self.assertRaises(CloudFlareAPIError) as caught:
            call()
        self.assertEqual(int(caught.exception), code, str(caught.exception))
        if message is not None:
            self.assertEqual(str(caught.exception), message)
        if prefix is not None:
            self.assertTrue(str(caught.exception).startswith(prefix), str(caught.exception))
        self.assertEqual(len(wire.exchanges), 1, wire.exchanges)
        self.assertEqual(wire.exchanges[0][2], status, wire.exchanges[0][:2])
        return wire.exchanges[0]

    def assert_certificate_fields(self, got, leaf, *, serial=True):
        # A custom certificate has no serial_number in Cloudflare's schema; a hostname's ssl has.
        facts = leaf if serial else {k: v for k, v in leaf.items() if k != "serial_number"}
        self.assertEqual({k: got[k] for k in facts}, facts)
        self.assertEqual(got["signature"], "ECDSAWithSHA256")
        self.assertNotIn("custom_key", got)
        self.assertNotIn("private_key", got)

    def test_custom_hostname_then_custom_certificate_on_one_custom_csr(self):
        # The tutorial's path: a CSR, the customer's CA signs it, the chain goes on a custom hostname
        # with the CSR's id in place of a key and is renewed there, then on a custom certificate; the
        # CSR can go once nothing uses it any more.
        cf = client()
        zone = new_zone()
        csr = self.call(lambda: cf.zones.custom_csrs.post(zone, data=csr_body()), 201)
        chain = ca_sign(csr["csr"])
        leaf = leaf_facts(chain)
        self.assertEqual(leaf["hosts"], ["app.acme.io", "www.acme.io"])

        created = self.call(lambda: cf.zones.custom_hostnames.post(zone, data={
            "hostname": "app.acme.io", "ssl": {"custom_csr_id": csr["id"], "custom_certificate": chain}}), 201)
        self.assertRegex(created["id"], UUID_RE)
        self.assertEqual(created["hostname"], "app.acme.io")
        self.assertEqual(created["status"], "active")
        parse_time(created["created_at"])
        self.assertNotIn("ownership_verification", created)  # verified: no longer shown
        ssl = created["ssl"]
        self.assertEqual(ssl["status"], "active")
        self.assertEqual(ssl["custom_csr_id"], csr["id"])
        self.assertEqual((ssl["type"], ssl["method"], ssl["bundle_method"]), ("dv", "http", "ubiquitous"))
        self.assert_certificate_fields(ssl, leaf)
        parse_time(ssl["uploaded_on"])
        self.assertNotIn("PRIVATE KEY", json.dumps(created))

        self.assertEqual(self.call(lambda: cf.zones.custom_hostnames.get(zone, created["id"]), 200), created)
        self.assertEqual(cf.zones.custom_hostnames.get(zone), [created])
        self.assertEqual(cf.zones.custom_hostnames.get(zone, params={"hostname": "app.acme.io"}), [created])
        self.assertEqual(cf.zones.custom_hostnames.get(zone, params={"hostname": "www.acme.io"}), [])
        self.assertEqual(cf.zones.custom_hostnames.get(zone, params={"id": created["id"]}), [created])

        metadata = {"customer": "acme", "plan": "gold"}
        edited = self.call(lambda: cf.zones.custom_hostnames.patch(zone, created["id"], data={
            "custom_metadata": metadata}), 202)
        self.assertEqual(edited["custom_metadata"], metadata)
        self.assertEqual(edited["ssl"], ssl, "an edit without ssl must leave the certificate alone")
        self.assertEqual({k: edited[k] for k in ("id", "hostname", "status", "created_at")},
                         {k: created[k] for k in ("id", "hostname", "status", "created_at")})

        # Renewal: the same CSR signed again, for 30 days this time.
        renewed_chain = ca_sign(csr["csr"], days=30)
        renewed = leaf_facts(renewed_chain)
        self.assertNotEqual(renewed["expires_on"], leaf["expires_on"])
        self.assertNotEqual(renewed["serial_number"], leaf["serial_number"])
        lifetime = parse_time(renewed["expires_on"]) - parse_time(created["created_at"])
        self.assertTrue(29 <= lifetime.days <= 30, lifetime)
        after = self.call(lambda: cf.zones.custom_hostnames.patch(zone, created["id"], data={
            "ssl": {"custom_csr_id": csr["id"], "custom_certificate": renewed_chain}}), 202)
        self.assertEqual(after["ssl"]["status"], "active")
        self.assertEqual(after["ssl"]["custom_csr_id"], csr["id"])
        self.assert_certificate_fields(after["ssl"], renewed)
        self.assertEqual(after["custom_metadata"], metadata)
        self.assertEqual(cf.zones.custom_hostnames.get(zone, created["id"]), after)

        exchange = self.assert_refused(lambda: cf.zones.custom_csrs.delete(zone, csr["id"]), 409, 1420, CSR_IN_USE)
        self.assertEqual(exchange[3].get("x-should-retry"), "false")

        # python-cloudflare returns the envelope's result; the bare "id" beside it is for the SDKs
        # that read the schema's un-enveloped {"id"}.
        self.assertEqual(self.call(lambda: cf.zones.custom_hostnames.delete(zone, created["id"]), 200),
                         {"id": created["id"]})
        self.assert_refused(lambda: cf.zones.custom_hostnames.get(zone, created["id"]), 404, 1436,
                            HOSTNAME_NOT_FOUND)
        self.assertEqual(cf.zones.custom_hostnames.get(zone), [])

        # The same certificate as a custom certificate (legacy custom SSL), again with the CSR's id.
        certificate = self.call(lambda: cf.zones.custom_certificates.post(zone, data={
            "certificate": chain, "custom_csr_id": csr["id"]}), 200)
        self.assertIsInstance(certificate["id"], str)
        self.assertEqual(certificate["zone_id"], zone)
        self.assertEqual(certificate["status"], "active")
        self.assertEqual(certificate["custom_csr_id"], csr["id"])
        self.assertEqual((certificate["bundle_method"], certificate["priority"]), ("ubiquitous", 20))
        self.assert_certificate_fields(certificate, leaf, serial=False)
        parse_time(certificate["uploaded_on"])
        parse_time(certificate["modified_on"])
        self.assertNotIn("PRIVATE KEY", json.dumps(certificate))

        self.assert_refused(lambda: cf.zones.custom_csrs.delete(zone, csr["id"]), 409, 1420, CSR_IN_USE)

        edited_certificate = self.call(lambda: cf.zones.custom_certificates.patch(zone, certificate["id"], data={
            "certificate": renewed_chain, "bundle_method": "optimal"}), 200)
        self.assertEqual(edited_certificate["id"], certificate["id"])
        self.assertEqual(edited_certificate["bundle_method"], "optimal")
        self.assertEqual(edited_certificate["custom_csr_id"], csr["id"], "an edit without custom_csr_id keeps it")
        self.assert_certificate_fields(edited_certificate, renewed, serial=False)
        self.assertEqual(self.call(lambda: cf.zones.custom_certificates.get(zone, certificate["id"]), 200),
                         edited_certificate)
        self.assertEqual(cf.zones.custom_certificates.get(zone), [edited_certificate])
        self.assertEqual(cf.zones.custom_certificates.get(zone, params={"status": "active"}), [edited_certificate])
        self.assertEqual(cf.zones.custom_certificates.get(zone, params={"status": "expired"}), [])

        self.assertEqual(self.call(lambda: cf.zones.custom_certificates.delete(zone, certificate["id"]), 200),
                         {"id": certificate["id"]})
        self.assert_refused(lambda: cf.zones.custom_certificates.get(zone, certificate["id"]), 404, 1003,
                            CERTIFICATE_NOT_FOUND)
        self.assertEqual(cf.zones.custom_certificates.get(zone), [])

        self.assertEqual(self.call(lambda: cf.zones.custom_csrs.delete(zone, csr["id"]), 200), {"id": csr["id"]})
        self.assert_refused(lambda: cf.zones.custom_csrs.get(zone, csr["id"]), 404, 1419, NOT_FOUND)

    def test_custom_hostname_list_params_and_pages(self):
        cf = client()
        raw = client(raw=True)
        zone = new_zone()
        csr = cf.zones.custom_csrs.post(zone, data=csr_body())
        with_certificate = cf.zones.custom_hostnames.post(zone, data={
            "hostname": "app.acme.io", "ssl": {"custom_csr_id": csr["id"], "custom_certificate": ca_sign(csr["csr"])}})
        managed = []
        for i in range(5):
            h = cf.zones.custom_hostnames.post(zone, data={"hostname": f"shop{i}.acme.io",
                                                           "ssl": {"method": "txt", "type": "dv"}})
            # Cloudflare's create answer: initializing, no records; a second GET shows them while
            # the certificate waits for domain control validation.
            self.assertEqual((h["status"], h["ssl"]["status"], h["ssl"]["method"]), ("pending", "initializing", "txt"))
            self.assertNotIn("validation_records", h["ssl"])
            later = cf.zones.custom_hostnames.get(zone, h["id"])
            self.assertEqual(later["ssl"]["status"], "pending_validation")
            self.assertEqual(later["ssl"]["validation_records"][0]["txt_name"], f"_acme-challenge.shop{i}.acme.io")
            managed.append(h["id"])
        without_ssl = cf.zones.custom_hostnames.post(zone, data={"hostname": "docs.acme.io"})
        self.assertEqual(without_ssl["ssl"], {"status": "inactive"})
        ids = [with_certificate["id"], *managed, without_ssl["id"]]

        seen = []
        for page, expected in ((1, 5), (2, 2)):
            with self.subTest(page=page):
                got = raw.zones.custom_hostnames.get(zone, params={"page": page, "per_page": 5})
                self.assertEqual(got["result_info"], {"page": page, "per_page": 5, "count": expected,
                                                      "total_count": 7, "total_pages": 2})
                seen += [h["id"] for h in got["result"]]
        self.assertEqual(seen, ids, "pages must list the hostnames in creation order")
        self.assertEqual(cf.zones.custom_hostnames.get(zone, params={"page": 3, "per_page": 5}), [])

        def listed(params):
            return [h["id"] for h in cf.zones.custom_hostnames.get(zone, params=params)]

        self.assertEqual(listed({"hostname_status": "pending"}), managed)
        self.assertEqual(listed({"ssl_status": "active"}), [with_certificate["id"]])
        self.assertEqual(listed({"ssl": 1}), [with_certificate["id"], *managed])
        self.assertEqual(listed({"hostname.contain": "shop"}), managed)
        self.assertEqual(listed({"hostname.exact": "docs.acme.io"}), [without_ssl["id"]])
        self.assertEqual(listed({"id": managed[2]}), [managed[2]])
        self.assert_refused(lambda: cf.zones.custom_hostnames.get(zone, params={"id": managed[2], "ssl": 1}),
                            400, 1438, "The id filter cannot be combined with other filters. Check your input and try again.")

    def test_custom_certificates_prioritize_and_pages(self):
        cf = client()
        raw = client(raw=True)
        zone = new_zone()
        certificates = []
        for name in ("app", "www"):
            csr = cf.zones.custom_csrs.post(zone, data=csr_body(common_name=f"{name}.acme.io", sans=[f"{name}.acme.io"]))
            certificates.append(cf.zones.custom_certificates.post(zone, data={
                "certificate": ca_sign(csr["csr"]), "custom_csr_id": csr["id"]}))
        first, second = (c["id"] for c in certificates)
        self.assertEqual([c["hosts"] for c in certificates], [["app.acme.io"], ["www.acme.io"]])

        listed = raw.zones.custom_certificates.get(zone, params={"per_page": 5})
        self.assertEqual(listed["result_info"], {"page": 1, "per_page": 5, "count": 2, "total_count": 2,
                                                 "total_pages": 1})
        self.assertEqual(sorted(c["id"] for c in listed["result"]), sorted([first, second]))

        prioritized = self.call(lambda: cf.zones.custom_certificates.prioritize.put(zone, data={
            "certificates": [{"id": first, "priority": 1}, {"id": second, "priority": 2}]}), 200)
        self.assertEqual({c["id"]: c["priority"] for c in prioritized}, {first: 1, second: 2})
        self.assertEqual(cf.zones.custom_certificates.get(zone, first)["priority"], 1)
        self.assertEqual(cf.zones.custom_certificates.get(zone, second)["priority"], 2)

    def test_custom_hostname_errors(self):
        cf = client()
        zone = new_zone()
        csr = cf.zones.custom_csrs.post(zone, data=csr_body())
        chain = ca_sign(csr["csr"])  # for app.acme.io and www.acme.io
        self.assert_refused(lambda: cf.zones.custom_hostnames.post(zone, data={
            "hostname": "shop.acme.io", "ssl": {"custom_csr_id": csr["id"], "custom_certificate": chain}}), 400, 1446,
            "The certificate does not include the custom hostname shop.acme.io. Check your input and try again.")
        self.assert_refused(lambda: cf.zones.custom_hostnames.post(zone, data={
            "hostname": "app.acme.io", "ssl": {"custom_csr_id": str(uuid.uuid4()), "custom_certificate": chain}}),
            404, 1431, "The custom CSR was not found.")
        certificate, key = self_signed("app.acme.io")
        self.assert_refused(lambda: cf.zones.custom_hostnames.post(zone, data={
            "hostname": "app.acme.io", "ssl": {"custom_certificate": certificate, "custom_key": key}}), 400, 1441,
            prefix="The certificate has trouble bundling against the public trust store.")
        self.assertEqual(cf.zones.custom_hostnames.get(zone), [], "no refused create may leave a hostname behind")

        unknown = str(uuid.uuid4())
        self.assert_refused(lambda: cf.zones.custom_hostnames.get(zone, unknown), 404, 1436, HOSTNAME_NOT_FOUND)
        self.assert_refused(lambda: cf.zones.custom_hostnames.patch(zone, unknown, data={"custom_metadata": {"a": "b"}}),
                            404, 1436, HOSTNAME_NOT_FOUND)
        self.assert_refused(lambda: cf.zones.custom_hostnames.delete(zone, unknown), 404, 1436, HOSTNAME_NOT_FOUND)
        # Nothing used the CSR.
        self.assertEqual(cf.zones.custom_csrs.delete(zone, csr["id"]), {"id": csr["id"]})

    def test_custom_certificate_errors(self):
        cf = client()
        zone = new_zone()
        certificate, key = self_signed("app.acme.io")
        self.assert_refused(lambda: cf.zones.custom_certificates.post(zone, data={
            "certificate": certificate, "private_key": key}), 400, 2100, prefix=UNTRUSTED_CHAIN)
        ca_certificate, ca_key = self_signed("app.acme.io", ca=True)
        self.assert_refused(lambda: cf.zones.custom_certificates.post(zone, data={
            "certificate": ca_certificate, "private_key": ca_key}), 400, 2101,
            "The certificate chain you uploaded has no leaf certificates.")
        # A trusted certificate, but for another CSR's key.
        mine = cf.zones.custom_csrs.post(zone, data=csr_body())
        other = cf.zones.custom_csrs.post(zone, data=csr_body())
        self.assert_refused(lambda: cf.zones.custom_certificates.post(zone, data={
            "certificate": ca_sign(other["csr"]), "custom_csr_id": mine["id"]}), 400, 2200,
            "The certificate and private key pair you uploaded is invalid.")
        self.assertEqual(cf.zones.custom_certificates.get(zone), [], "no refused upload may leave a certificate behind")

        unknown = str(uuid.uuid4())
        self.assert_refused(lambda: cf.zones.custom_certificates.get(zone, unknown), 404, 1003, CERTIFICATE_NOT_FOUND)
        self.assert_refused(lambda: cf.zones.custom_certificates.patch(zone, unknown, data={"bundle_method": "optimal"}),
                            404, 1003, CERTIFICATE_NOT_FOUND)
        self.assert_refused(lambda: cf.zones.custom_certificates.delete(zone, unknown), 404, 1003, CERTIFICATE_NOT_FOUND)

# The journal (GET /_emulator/journal) and fault rules, as a suite using python-cloudflare would
# check "what did my client actually send?".

def emulator_call(method, path, body=None):
    """An /_emulator/ route (no Cloudflare credentials): (status, decoded JSON envelope)."""
    return emulator.call(method, path, body)


def journal(**filters):
    status, body = emulator_call("GET", "/_emulator/journal?" + urllib.parse.urlencode(filters))
    assert status == 200 and body["success"] is True, body
    return body["result"]


class Journal(unittest.TestCase):
    def test_one_create_is_exactly_one_post_without_retries(self):
        cf = client(token="journal-secret-token-4217")
        zone = new_zone()
        created = cf.zones.custom_csrs.post(zone, data=csr_body())
        path = f"/client/v4/zones/{zone}/custom_csrs"
        posts = journal(method="POST", path_prefix=path)
        self.assertEqual(len(posts), 1, posts)
        entry = posts[0]
        self.assertEqual((entry["method"], entry["path"], entry["status"], entry["error_codes"]),
                         ("POST", path, 201, []))
        self.assertEqual(entry["credential"], "api_token")  # the kind, never the token itself
        self.assertNotIn("journal-secret-token-4217", json.dumps(entry))
        self.assertEqual(entry["request_body"], csr_body())
        self.assertEqual(entry["response_body"]["result"]["id"], created["id"])
        self.assertNotIn("private_key", entry["response_body"]["result"])
        # The method filter is case-insensitive; other zones' requests are not in this zone's prefix.
        self.assertEqual(journal(method="post", path_prefix=path), posts)
        self.assertEqual(journal(method="GET", path_prefix=path), [])

    def test_a_refusal_is_found_by_its_code(self):
        cf = client()
        zone = new_zone()
        with self.assertRaises(CloudFlareAPIError) as caught:
            cf.zones.custom_csrs.get(zone, "not-a-uuid")
        self.assertEqual(int(caught.exception), 1418)
        refused = journal(path_prefix=f"/client/v4/zones/{zone}/", code=1418)
        self.assertEqual([(e["method"], e["status"], e["error_codes"]) for e in refused], [("GET", 400, [1418])])
        self.assertEqual(journal(path_prefix=f"/client/v4/zones/{zone}/", status=400), refused)

    def test_a_fault_fires_once_and_python_cloudflare_does_not_retry(self):
        cf = client()
        zone = new_zone()
        status, rule = emulator_call("POST", "/_emulator/faults", {
            "method": "POST", "path": "/zones/*/custom_csrs", "zone_id": zone, "status": 503, "code": 1500,
            "message": "Service temporarily unavailable", "times": 1})
        self.assertEqual(status, 200, rule)
        try:
            # python-cloudflare 2.11.1 hands any 5xx up as requests' HTTPError (cloudflare.py
            # calls raise_for_status()), with the emulator's envelope on the response.
            with self.assertRaises(requests.exceptions.HTTPError) as caught:
                cf.zones.custom_csrs.post(zone, data=csr_body())
            self.assertEqual(caught.exception.response.status_code, 503)
            self.assertEqual(caught.exception.response.json()["errors"],
                             [{"code": 1500, "message": "Service temporarily unavailable"}])
            created = cf.zones.custom_csrs.post(zone, data=csr_body())  # the rule has fired its once
            posts = journal(method="POST", path_prefix=f"/client/v4/zones/{zone}/custom_csrs")
            self.assertEqual([(e["status"], e["error_codes"]) for e in posts], [(503, [1500]), (201, [])])
            self.assertEqual(posts[1]["response_body"]["result"]["id"], created["id"])
        finally:
            emulator_call("DELETE", f"/_emulator/faults/{rule['result']['id']}")


if __name__ == "__main__":
    outcome = unittest.main(verbosity=2, exit=False).result
    if not outcome.wasSuccessful():
        sys.stderr.write("\n--- csr-emulator stderr ---\n" + emulator_log)
    sys.exit(0 if outcome.wasSuccessful() else 1)
