#!/usr/bin/python3
"""Debian's python3-cloudflare 2.11.1 (`import CloudFlare`), unmodified, against the emulator's
advanced certificate packs: cf.zones.ssl.certificate_packs.order.post, .get (one, and the list
with status=all), .patch, .delete, .quota.get and cf.zones.ssl.verification.get / .patch, with
--validation auto at step 0 (active in the order answer), and a refusal as CloudFlareAPIError.

Run through CTest (which sets CSR_EMULATOR_BINARY), with Debian's interpreter: /usr/bin/python3.
"""
import os
import sys
import unittest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from python_cloudflare import CloudFlare, CloudFlareAPIError, Emulator  # noqa: E402

ZONE = "6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d"
emulator = None


def setUpModule():
    global emulator
    emulator = Emulator(["--zone", f"py-packs.io:{ZONE}", "--validation", "auto", "--validation-step", "0"])


def tearDownModule():
    problems, log = emulator.shut_down()
    assert not problems, f"{problems}; stderr:\n{log}"


class CertificatePacks(unittest.TestCase):
    def setUp(self):
        self.cf = CloudFlare.CloudFlare(token="test", base_url=emulator.url + "/client/v4")
        self.packs = self.cf.zones.ssl.certificate_packs

    def test_order_read_verify_delete(self):
        pack = self.packs.order.post(ZONE, data={
            "type": "advanced", "hosts": ["py-packs.io", "*.py-packs.io"], "validation_method": "txt",
            "validity_days": 30, "certificate_authority": "lets_encrypt"})
        self.assertEqual(pack["status"], "active")
        self.assertEqual([c["hosts"] for c in pack["certificates"]], [["py-packs.io", "*.py-packs.io"]] * 2)
        self.assertEqual(self.packs.get(ZONE, pack["id"])["primary_certificate"], pack["certificates"][0]["id"])
        self.assertEqual([p["id"] for p in self.packs.get(ZONE, params={"status": "all"})], [pack["id"]])
        self.assertEqual(self.packs.quota.get(ZONE), {"advanced": {"allocated": 100, "used": 1}})
        views = self.cf.zones.ssl.verification.get(ZONE, params={"retry": "true"})
        self.assertEqual([(v["cert_pack_uuid"], v["certificate_status"]) for v in views], [(pack["id"], "active")])
        with self.assertRaises(CloudFlareAPIError) as refused:
            self.packs.patch(ZONE, pack["id"], data={})
        self.assertEqual(int(refused.exception), 1466)
        with self.assertRaises(CloudFlareAPIError) as refused:
            self.cf.zones.ssl.verification.patch(ZONE, pack["id"], data={"validation_method": "http"})
        self.assertEqual(int(refused.exception), 1460)
        self.assertEqual(self.packs.delete(ZONE, pack["id"]), {"id": pack["id"]})
        with self.assertRaises(CloudFlareAPIError) as refused:
            self.packs.get(ZONE, pack["id"])
        self.assertEqual(int(refused.exception), 1465)


if __name__ == "__main__":
    unittest.main(verbosity=2)
