#!/usr/bin/python3
"""Debian's python3-cloudflare 2.11.1 (`import CloudFlare`), unmodified, against a csr-emulator in
--validation dns: the checks ask a real DNS server (dnsmasq, through the dns_fixture binary), and
the test publishes there what the client's answers tell a customer to publish, then polls through
the client until `status` and `ssl.status` are active, as a user's code would. Also a hostname
without records (pending, with its verification error) and the fallback origin, which must resolve
before it is active.

Run through CTest (which sets CSR_EMULATOR_BINARY and CSR_DNS_FIXTURE), with Debian's interpreter.
"""
import os
import sys
import time
import unittest
import uuid

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, "..", "support"))

# First: python_cloudflare isolates the suite from the developer's settings, then imports the client.
from python_cloudflare import CloudFlare, Emulator, eventually  # noqa: E402
from dns_server import DnsServer  # noqa: E402

STEP_MS = 50
BACKOFF_SCALE = "0.001"  # Cloudflare's first re-check after a minute: 60 ms
POLL_SECONDS = 0.05
POLL_LIMIT_SECONDS = 30
FALLBACK_ORIGIN = "fallback.saas.io"  # the SaaS provider's origin, which customers CNAME to
ISSUER_PREFIX = "csr-emulator Test Intermediate CA "
# Cloudflare's wordings (Cloudflare's documentation).
TOKEN_NOT_FOUND = ("None of the A or AAAA records are owned by this account and the pre-generated ownership "
                   "verification token was not found.")
ORIGIN_NOT_RESOLVING = "DNS records are not setup correctly. Origin should be a proxied A/AAAA/CNAME dns record"

# What the DNS server holds: the provider's origin, and a record of the customer's domain so its
# missing names get NXDOMAIN (a plain "not there") rather than REFUSED.
published = {"cnames": [], "txts": [], "addresses": [[FALLBACK_ORIGIN, "127.0.0.1"], ["customer.io", "127.0.0.1"]]}
fixtures = {}
timings = []


def setUpModule():
    fixtures["dns"] = DnsServer(published)
    fixtures["emulator"] = Emulator(["--key-pool", "0", "--validation", "dns", "--dns-server", fixtures["dns"].address,
                                     "--validation-step", str(STEP_MS), "--validation-backoff-scale", BACKOFF_SCALE])


def tearDownModule():
    for line in timings:
        print(line, flush=True)
    emulator = fixtures.pop("emulator", None)
    problems = []
    if emulator:
        problems, fixtures["log"] = emulator.shut_down()
    if "dns" in fixtures:
        fixtures.pop("dns").stop()
    assert not problems, problems


def publish(cnames=(), txts=(), addresses=()):
    """The customer (or provider) adds records at their DNS host."""
    published["cnames"] += [list(r) for r in cnames]
    published["txts"] += [list(r) for r in txts]
    published["addresses"] += [list(r) for r in addresses]
    fixtures["dns"].replace(published)


def both_active(h):
    return h["status"] == "active" and h["ssl"]["status"] == "active"


class DnsMode(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.cf = CloudFlare.CloudFlare(token="dns-token", base_url=fixtures["emulator"].url + "/client/v4")

    def poll(self, read, done, what):
        """Calls `read` every POLL_SECONDS until `done(result)`; returns that result."""
        return eventually(read, done, what, POLL_LIMIT_SECONDS, POLL_SECONDS)

    def fallback_origin(self, zone):
        return self.cf.zones.custom_hostnames.fallback_origin.get(zone)

    def zone_with_fallback_origin(self):
        """The zone's fallback origin set and polled until active, as a provider does first."""
        zone = uuid.uuid4().hex
        self.cf.zones.custom_hostnames.fallback_origin.put(zone, data={"origin": FALLBACK_ORIGIN})
        self.poll(lambda: self.fallback_origin(zone), lambda o: o["status"] == "active", "fallback origin active")
        return zone

    def get(self, zone, created):
        return self.cf.zones.custom_hostnames.get(zone, created["id"])

    def check_issued(self, active, hostname):
        self.assertEqual(active["hostname"], hostname)
        self.assertNotIn("verification_errors", active)
        self.assertNotIn("validation_errors", active["ssl"])
        self.assertNotIn("validation_records", active["ssl"])
        self.assertEqual(active["ssl"]["hosts"], [hostname])
        self.assertTrue(active["ssl"]["issuer"].startswith(ISSUER_PREFIX), active["ssl"]["issuer"])
        self.assertEqual(active["ssl"]["certificate_authority"], "google")
        self.assertEqual(len(active["ssl"]["certificates"]), 2)

    def test_fallback_origin_pending_until_its_record_exists(self):
        zone = uuid.uuid4().hex
        put = self.cf.zones.custom_hostnames.fallback_origin.put(zone, data={"origin": "origin2.saas.io"})
        self.assertEqual((put["origin"], put["status"]), ("origin2.saas.io", "pending_deployment"))
        pending = self.poll(lambda: self.fallback_origin(zone), lambda o: "errors" in o, "the fallback origin error")
        self.assertEqual(pending["status"], "pending_deployment")
        self.assertEqual(pending["errors"], [ORIGIN_NOT_RESOLVING])

        added = time.monotonic()
        publish(addresses=[("origin2.saas.io", "127.0.0.1")])
        active = self.poll(lambda: self.fallback_origin(zone), lambda o: o["status"] != "pending_deployment",
                           "the fallback origin out of pending_deployment")
        timings.append(f"dns mode, python-cloudflare: fallback origin active {time.monotonic() - added:.2f} s "
                       "after its record was published")
        self.assertEqual(active["status"], "active")
        self.assertNotIn("errors", active)

    def test_hostname_cnamed_to_the_fallback_origin(self):
        zone = self.zone_with_fallback_origin()
        start = time.monotonic()
        created = self.cf.zones.custom_hostnames.post(zone, data={
            "hostname": "shop2.customer.io", "ssl": {"method": "txt", "type": "dv"}})
        self.assertEqual((created["status"], created["ssl"]["status"]), ("pending", "initializing"))
        # The customer points the hostname at the provider's origin, as the provider told them.
        publish(cnames=[("shop2.customer.io", self.fallback_origin(zone)["origin"])])
        active = self.poll(lambda: self.get(zone, created), both_active, "shop2.customer.io active")
        timings.append(f"dns mode, python-cloudflare: CNAME hostname create -> active in {time.monotonic() - start:.2f} s")
        self.check_issued(active, "shop2.customer.io")

    def test_hostname_proven_by_the_txt_records_shown(self):
        zone = self.zone_with_fallback_origin()
        start = time.monotonic()
        created = self.cf.zones.custom_hostnames.post(zone, data={
            "hostname": "txt2.customer.io", "ssl": {"method": "txt", "type": "dv"}})
        ownership = created["ownership_verification"]
        self.assertEqual((ownership["type"], ownership["name"]), ("txt", "_cf-custom-hostname.txt2.customer.io"))
        # The DCV record comes with pending_validation; Cloudflare's docs advise reading it back.
        validating = self.poll(
            lambda: self.get(zone, created),
            lambda h: h["ssl"]["status"] == "pending_validation" and h["ssl"].get("validation_records"),
            "the DCV TXT record")
        dcv = validating["ssl"]["validation_records"][0]
        self.assertEqual(dcv["txt_name"], "_acme-challenge.txt2.customer.io")
        self.assertEqual(validating["status"], "pending")
        self.assertEqual(validating["verification_errors"], [TOKEN_NOT_FOUND])

        published_at = time.monotonic()
        publish(txts=[(ownership["name"], ownership["value"]), (dcv["txt_name"], dcv["txt_value"])])
        active = self.poll(lambda: self.get(zone, created), both_active, "txt2.customer.io active")
        now = time.monotonic()
        timings.append(f"dns mode, python-cloudflare: TXT hostname create -> active in {now - start:.2f} s "
                       f"({now - published_at:.2f} s after its records were published)")
        self.check_issued(active, "txt2.customer.io")

    def test_hostname_without_records_stays_pending(self):
        zone = self.zone_with_fallback_origin()
        created = self.cf.zones.custom_hostnames.post(zone, data={
            "hostname": "missing2.customer.io", "ssl": {"method": "txt", "type": "dv"}})
        pending = self.poll(
            lambda: self.get(zone, created),
            lambda h: "verification_errors" in h and h["ssl"]["status"] == "pending_validation",
            "the verification error")
        self.assertEqual(pending["status"], "pending")
        self.assertEqual(pending["verification_errors"], [TOKEN_NOT_FOUND])
        self.assertNotIn("issuer", pending["ssl"])
        self.assertEqual(pending["ssl"]["validation_records"][0]["txt_name"], "_acme-challenge.missing2.customer.io")


if __name__ == "__main__":
    outcome = unittest.main(verbosity=2, exit=False).result
    if not outcome.wasSuccessful() and "log" in fixtures:
        sys.stderr.write(f"\n--- csr-emulator stderr ---\n{fixtures['log']}")
    sys.exit(0 if outcome.wasSuccessful() else 1)
