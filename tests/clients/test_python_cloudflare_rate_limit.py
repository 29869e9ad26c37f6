#!/usr/bin/python3
"""Debian's python3-cloudflare 2.11.1 (`import CloudFlare`), unmodified, against a csr-emulator with
its rate limit on and a tiny quota: one request per 2-second window and token.

python-cloudflare 2.11.1 has no retry of its own. A 429 is a 4xx with Cloudflare's JSON envelope,
so (unlike a 5xx, which it hands up as requests' HTTPError) it raises CloudFlareAPIError with the
envelope's code, 971, and message. The exception carries no headers, so Retry-After and Ratelimit
are read where requests sends (requests.Session.send, wrapped). Once Retry-After has passed (on the
emulator's clock, moved on rather than waited for) the same call succeeds, and the journal
(GET /_emulator/journal) shows the 429 then the success.

Run through CTest (which sets CSR_EMULATOR_BINARY), with Debian's interpreter: /usr/bin/python3.
"""
import os
import sys
import unittest
import urllib.parse
import urllib.request
import uuid

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# First: python_cloudflare isolates the suite from the developer's settings, then imports the client.
from python_cloudflare import CloudFlare, CloudFlareAPIError, Emulator, Wire, requests  # noqa: E402

QUOTA = 1
WINDOW_SECONDS = 2
RATE_LIMITED = "Please wait and consider throttling your request speed"

emulator = None
emulator_log = ""


def setUpModule():
    global emulator
    emulator = Emulator(["--key-pool", "0", "--rate-limit", "on", "--rate-limit-quota", str(QUOTA),
                         "--rate-limit-window", str(WINDOW_SECONDS)])


def tearDownModule():
    global emulator_log
    problems, emulator_log = emulator.shut_down()
    assert not problems, f"{problems}; stderr:\n{emulator_log}"


def client(token):
    """A client with a token of its own: the rate limit counts per credential."""
    return CloudFlare.CloudFlare(token=token, base_url=emulator.url + "/client/v4")


def journal(**filters):
    status, body = emulator.call("GET", "/_emulator/journal?" + urllib.parse.urlencode(filters))
    assert status == 200 and body["success"] is True, body
    return body["result"]


CSR_BODY = {"country": "US", "state": "California", "locality": "San Francisco", "organization": "Acme, Inc.",
            "common_name": "app.acme.io", "sans": ["app.acme.io"], "key_type": "p256v1"}


class RateLimit(unittest.TestCase):
    maxDiff = None

    def test_429_raises_971_with_retry_after_then_the_call_succeeds_after_waiting(self):
        cf = client("python-rate-limited-token")
        zone = uuid.uuid4().hex
        path = f"/client/v4/zones/{zone}/custom_csrs"
        with Wire() as wire:
            self.assertEqual(cf.zones.custom_csrs.get(zone), [])  # the window's one request
            with self.assertRaises(CloudFlareAPIError) as caught:
                cf.zones.custom_csrs.post(zone, data=CSR_BODY)
        self.assertNotIsInstance(caught.exception, requests.exceptions.HTTPError)
        self.assertEqual(int(caught.exception), 971)
        self.assertEqual(str(caught.exception), RATE_LIMITED)
        self.assertEqual([e[:3] for e in wire.exchanges], [("GET", path, 200), ("POST", path, 429)])

        listed, refused = wire.exchanges[0][3], wire.exchanges[1][3]
        self.assertEqual(listed.get("Ratelimit"), f'"default";r=0;t={WINDOW_SECONDS}')
        self.assertEqual(listed.get("Ratelimit-Policy"), f'"default";q={QUOTA};w={WINDOW_SECONDS}')
        self.assertIsNone(listed.get("Retry-After"), "Retry-After only on a 429")
        retry_after = refused.get("Retry-After")
        self.assertIn(retry_after, ("1", "2"), f"Retry-After: {retry_after}")  # whole seconds, within the window
        self.assertRegex(refused.get("Ratelimit") or "", rf'^"default";r=0;t=[12]$')
        self.assertEqual(refused.get("Ratelimit-Policy"), f'"default";q={QUOTA};w={WINDOW_SECONDS}')

        # Still inside the window: refused again, without waiting.
        with self.assertRaises(CloudFlareAPIError) as again:
            cf.zones.custom_csrs.post(zone, data=CSR_BODY)
        self.assertEqual(int(again.exception), 971)

        # What Retry-After said passes on the emulator's clock (which drives the windows), and the
        # same call goes through.
        emulator.advance_clock(f"{int(retry_after)}s")
        created = cf.zones.custom_csrs.post(zone, data=CSR_BODY)
        self.assertEqual(created["common_name"], "app.acme.io")

        entries = journal(path_prefix=path)
        self.assertEqual([(e["method"], e["status"], e["error_codes"], e["credential"]) for e in entries], [
            ("GET", 200, [], "api_token"),
            ("POST", 429, [971], "api_token"),
            ("POST", 429, [971], "api_token"),
            ("POST", 201, [], "api_token"),
        ])
        self.assertEqual(entries[1]["response_body"]["errors"], [{"code": 971, "message": RATE_LIMITED}])
        self.assertEqual(entries[1]["request_body"], CSR_BODY)
        self.assertEqual(entries[3]["request_body"], CSR_BODY)
        self.assertEqual(entries[3]["response_body"]["result"]["id"], created["id"])
        self.assertEqual([e["status"] for e in journal(path_prefix=path, status=429, code=971)], [429, 429])

    def test_another_token_has_a_window_of_its_own(self):
        zone = uuid.uuid4().hex
        first = client("python-first-token")
        self.assertEqual(first.zones.custom_csrs.get(zone), [])
        with self.assertRaises(CloudFlareAPIError) as caught:
            first.zones.custom_csrs.get(zone)
        self.assertEqual(int(caught.exception), 971)
        self.assertEqual(client("python-second-token").zones.custom_csrs.get(zone), [])


if __name__ == "__main__":
    outcome = unittest.main(verbosity=2, exit=False).result
    if not outcome.wasSuccessful():
        sys.stderr.write("\n--- csr-emulator stderr ---\n" + emulator_log)
    sys.exit(0 if outcome.wasSuccessful() else 1)
