#!/usr/bin/python3
"""Debian's python3-cloudflare 2.11.1 (`import CloudFlare`), unmodified, making a webhook
destination and a notification policy (accounts.alerting.v3), then a custom hostname whose
certificate events reach a real receiver (a small http.server started here) with the secret.

Run through CTest (which sets CSR_EMULATOR_BINARY), with Debian's interpreter: /usr/bin/python3.
"""
import http.server
import json
import os
import sys
import threading
import unittest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from python_cloudflare import CloudFlare, CloudFlareAPIError, Emulator, eventually  # noqa: E402

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"  # the emulator's default account, every zone's
ZONE = "0123456789abcdef0123456789abcdef"
SECRET = "python-receiver-secret"
received = []


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        received.append((dict(self.headers), json.loads(body)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


class Notifications(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.url = f"http://127.0.0.1:{cls.server.server_address[1]}/hook"
        cls.emulator = Emulator(["--validation", "auto", "--validation-step", "50"])
        cls.cf = CloudFlare.CloudFlare(token="notify-token", base_url=cls.emulator.url + "/client/v4")

    @classmethod
    def tearDownClass(cls):
        problems, _ = cls.emulator.shut_down("csr-emulator")
        cls.server.shutdown()
        assert not problems, problems

    def test_destination_policy_and_events(self):
        webhooks = self.cf.accounts.alerting.v3.destinations.webhooks
        created = webhooks.post(ACCOUNT, data={"name": "py hooks", "url": self.url, "secret": SECRET})
        webhook = created["id"]
        self.assertEqual(received[0][1]["text"][:12], "Hello World!")
        listed = webhooks.get(ACCOUNT)
        self.assertEqual([(w["id"], w["name"], w["type"]) for w in listed], [(webhook, "py hooks", "generic")])
        self.assertNotIn("secret", listed[0])
        self.assertEqual(webhooks.put(ACCOUNT, webhook, data={"name": "renamed", "url": self.url})["id"], webhook)
        self.assertEqual(webhooks.get(ACCOUNT, webhook)["name"], "renamed")

        policies = self.cf.accounts.alerting.v3.policies
        policy = policies.post(ACCOUNT, data={"name": "py policy", "alert_type": "custom_ssl_certificate_event_type",
                                              "enabled": True, "mechanisms": {"webhooks": [{"id": webhook}]}})["id"]
        self.assertEqual(policies.get(ACCOUNT, policy)["mechanisms"], {"webhooks": [{"id": webhook}]})

        self.cf.zones.custom_hostnames.post(ZONE, data={"hostname": "py.acme.io", "ssl": {"method": "http", "type": "dv"}})
        events = lambda: [body for _, body in received if "data" in body]  # noqa: E731
        eventually(events, lambda found: len(found) >= 3, "three certificate events at the receiver")
        self.assertEqual([e["data"]["metadata"]["event"]["type"] for e in events()],
                         ["ssl.custom_hostname_certificate." + n
                          for n in ("validation.succeeded", "issuance.succeeded", "deployment.succeeded")])
        for headers, body in received:  # the PUT's test message too: a PUT without a secret keeps it
            self.assertEqual(headers.get("cf-webhook-auth"), SECRET)
        for body in events():
            self.assertEqual(body["data"]["data"]["hostname"], "py.acme.io")
            self.assertEqual(body["policy_id"], policy)

        policies.delete(ACCOUNT, policy)
        webhooks.delete(ACCOUNT, webhook)
        self.assertEqual(webhooks.get(ACCOUNT), [])
        with self.assertRaises(CloudFlareAPIError) as refused:
            policies.get(ACCOUNT, policy)
        self.assertEqual(int(refused.exception), 17003)


if __name__ == "__main__":
    unittest.main()
