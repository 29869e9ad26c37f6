#!/usr/bin/python3
"""Debian's python3-cloudflare 2.11.1 (`import CloudFlare`), unmodified, against csr-emulators whose
custom hostnames move through Cloudflare's validation lifecycle: --validation auto (one state per
200 ms step; the client polls `custom_hostnames.get` until active) and --validation manual
(nothing moves until the /_emulator/ routes are called).

Run through CTest (which sets CSR_EMULATOR_BINARY), with Debian's interpreter: /usr/bin/python3.
"""
import os
import re
import sys
import unittest
import uuid
from datetime import datetime, timezone

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# First: python_cloudflare isolates the suite from the developer's settings, then imports the client.
from python_cloudflare import CloudFlare, Emulator, eventually  # noqa: E402

STEP_MS = 200
POLL_SECONDS = 0.02
POLL_LIMIT_SECONDS = 20
# Cloudflare's certificate order (README, Validation lifecycle).
SSL_ORDER = ["initializing", "pending_validation", "pending_issuance", "pending_deployment", "active"]
OWNERSHIP_ORDER = ["pending", "active"]
ISSUER_RE = re.compile(r"^csr-emulator Test Intermediate CA ")

emulators = {}
emulator_logs = {}


def setUpModule():
    emulators["auto"] = Emulator(["--key-pool", "0", "--validation", "auto", "--validation-step", str(STEP_MS)])
    emulators["manual"] = Emulator(["--key-pool", "0", "--validation", "manual"])


def tearDownModule():
    problems = []
    for name, emulator in emulators.items():
        found, emulator_logs[name] = emulator.shut_down(f"csr-emulator ({name})")
        problems += found
    assert not problems, problems


def client(mode):
    # base_url is python-cloudflare's documented constructor argument; one client per emulator.
    return CloudFlare.CloudFlare(token="lifecycle-token", base_url=emulators[mode].url + "/client/v4")


def new_zone():
    return uuid.uuid4().hex


def emulator_call(mode, method, path, body=None):
    """An /_emulator/ route (no Cloudflare credentials): (status, decoded JSON envelope)."""
    return emulators[mode].call(method, path, body)


def ca_sign(mode, csr_pem):
    return emulators[mode].ca_sign(csr_pem)


def distinct(seen):
    return [s for i, s in enumerate(seen) if i == 0 or s != seen[i - 1]]


class Lifecycle(unittest.TestCase):
    maxDiff = None

    def assert_subsequence(self, seen, order, what):
        """`seen` (repeats collapsed) appears in `order`, in order; returns it collapsed."""
        collapsed = distinct(seen)
        at = 0
        for status in collapsed:
            self.assertIn(status, order[at:], f"{what}: {collapsed} is not in Cloudflare's order {order}")
            at = order.index(status, at) + 1
        return collapsed

    def poll_until_active(self, cf, zone, created):
        ownership, ssl = [created["status"]], [created["ssl"]["status"]]

        def read():
            got = cf.zones.custom_hostnames.get(zone, created["id"])
            ownership.append(got["status"])
            ssl.append(got["ssl"]["status"])
            return got

        got = eventually(read, lambda h: h["status"] == "active" and h["ssl"]["status"] == "active",
                         "hostname and certificate active", POLL_LIMIT_SECONDS, POLL_SECONDS)
        return got, ownership, ssl

    def test_auto_dv_hostname_polled_until_active_and_issued(self):
        cf = client("auto")
        zone = new_zone()
        created = cf.zones.custom_hostnames.post(zone, data={
            "hostname": "shop.customer.io", "ssl": {"method": "http", "type": "dv"}})
        self.assertEqual(created["hostname"], "shop.customer.io")
        self.assertEqual((created["status"], created["ssl"]["status"]), ("pending", "initializing"))
        self.assertEqual((created["ssl"]["method"], created["ssl"]["type"]), ("http", "dv"))
        self.assertNotIn("issuer", created["ssl"])
        # Cloudflare's create answer: no DCV records yet (its docs: read them with a later GET).
        self.assertNotIn("validation_records", created["ssl"])

        active, ownership, ssl = self.poll_until_active(cf, zone, created)
        self.assertEqual(self.assert_subsequence(ownership, OWNERSHIP_ORDER, "status"), OWNERSHIP_ORDER)
        ssl_seen = self.assert_subsequence(ssl, SSL_ORDER, "ssl.status")
        self.assertEqual((ssl_seen[0], ssl_seen[-1]), ("initializing", "active"))
        # Polling every 20 ms against a 200 ms step: some state between the ends is visible.
        self.assertGreaterEqual(len(ssl_seen), 3, ssl_seen)

        self.assertRegex(active["ssl"]["issuer"], ISSUER_RE)
        self.assertEqual(active["ssl"]["certificate_authority"], "google", "no CA asked for: Cloudflare's default")
        self.assertRegex(active["ssl"]["serial_number"], r"^[0-9]+$")
        expires = datetime.fromisoformat(active["ssl"]["expires_on"].replace("Z", "+00:00"))
        days = (expires - datetime.now(timezone.utc)).total_seconds() / 86400
        self.assertTrue(89 < days <= 90, f"expires in {days} days, not 90")
        self.assertNotIn("validation_records", active["ssl"])
        self.assertEqual(cf.zones.custom_hostnames.get(zone, created["id"]), active)

    def test_auto_uploaded_certificate_deploys_after_ownership(self):
        cf = client("auto")
        zone = new_zone()
        csr = cf.zones.custom_csrs.post(zone, data={
            "country": "US", "state": "California", "locality": "San Francisco", "organization": "Acme, Inc.",
            "common_name": "up.customer.io", "sans": ["up.customer.io"], "key_type": "p256v1"})
        chain = ca_sign("auto", csr["csr"])
        created = cf.zones.custom_hostnames.post(zone, data={
            "hostname": "up.customer.io", "ssl": {"custom_csr_id": csr["id"], "custom_certificate": chain}})
        # README: an uploaded certificate starts pending_deployment, deploying one step after ownership.
        self.assertEqual((created["status"], created["ssl"]["status"]), ("pending", "pending_deployment"))
        self.assertEqual(created["ssl"]["custom_csr_id"], csr["id"])

        active, ownership, ssl = self.poll_until_active(cf, zone, created)
        self.assertEqual(self.assert_subsequence(ownership, OWNERSHIP_ORDER, "status"), OWNERSHIP_ORDER)
        self.assertEqual(self.assert_subsequence(ssl, SSL_ORDER, "ssl.status"), ["pending_deployment", "active"])
        self.assertEqual(active["ssl"]["custom_csr_id"], csr["id"])
        self.assertRegex(active["ssl"]["issuer"], ISSUER_RE)
        self.assertNotIn("certificate_authority", active["ssl"], "the customer's own certificate: no CA named")

    def test_manual_nothing_moves_until_the_emulator_routes(self):
        cf = client("manual")
        zone = new_zone()
        created = cf.zones.custom_hostnames.post(zone, data={
            "hostname": "manual.customer.io", "ssl": {"method": "http", "type": "dv"}})
        self.assertEqual((created["status"], created["ssl"]["status"]), ("pending", "initializing"))
        self.assertNotIn("validation_records", created["ssl"])
        emulators["manual"].advance_clock("1h")  # however long it waits, nothing moves by time
        still = cf.zones.custom_hostnames.get(zone, created["id"])
        self.assertEqual((still["status"], still["ssl"]["status"]), ("pending", "initializing"))

        route = f"/_emulator/zones/{zone}/custom_hostnames/{created['id']}"
        status, body = emulator_call("manual", "POST", route + "/verify_ownership")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["result"]["status"], "active")
        got = cf.zones.custom_hostnames.get(zone, created["id"])
        self.assertEqual((got["status"], got["ssl"]["status"]), ("active", "initializing"))
        self.assertNotIn("ownership_verification", got)  # proven: no longer shown

        for expected in SSL_ORDER[1:]:
            status, body = emulator_call("manual", "POST", route + "/advance_certificate")
            self.assertEqual(status, 200, body)
            self.assertEqual(body["result"]["ssl"]["status"], expected)
            got = cf.zones.custom_hostnames.get(zone, created["id"])
            self.assertEqual((got["status"], got["ssl"]["status"]), ("active", expected))
            if expected == "pending_validation":
                # The records, on this later GET, in Cloudflare's documented HTTP form.
                [record] = got["ssl"]["validation_records"]
                self.assertRegex(record["http_body"], r"^ca3-[0-9a-f]{32}$")
                self.assertEqual(record["http_url"],
                                 f"http://manual.customer.io/.well-known/pki-validation/{record['http_body']}.txt")
        self.assertRegex(got["ssl"]["issuer"], ISSUER_RE)
        self.assertEqual(got["ssl"]["certificate_authority"], "google")
        self.assertRegex(got["ssl"]["serial_number"], r"^[0-9]+$")
        self.assertTrue(got["ssl"]["expires_on"])

        # A hostname of another zone is not found through this zone's route: 404 / 1436.
        status, body = emulator_call("manual", "POST", f"/_emulator/zones/{new_zone()}/custom_hostnames/"
                                     f"{created['id']}/verify_ownership")
        self.assertEqual(status, 404, body)
        self.assertEqual(body["errors"][0]["code"], 1436)
        # Nothing left to advance: 409 / 1400.
        status, body = emulator_call("manual", "POST", route + "/advance_certificate")
        self.assertEqual(status, 409, body)
        self.assertEqual(body["errors"][0]["code"], 1400)


if __name__ == "__main__":
    outcome = unittest.main(verbosity=2, exit=False).result
    if not outcome.wasSuccessful():
        for name, log in emulator_logs.items():
            sys.stderr.write(f"\n--- csr-emulator ({name}) stderr ---\n{log}")
    sys.exit(0 if outcome.wasSuccessful() else 1)
