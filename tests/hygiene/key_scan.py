"""Issue #11: no response body and no log line carries private-key material. Runs a
representative flow against the real binary at --log-level debug (CSRs of both key types, a
hostname and a custom certificate uploaded with the CSR's id, both uploaded again with a key of
their own, listings, a snapshot without include_private_keys, the journal, refused requests),
keeps every response body and the server's whole stderr log, then fails on any
`PRIVATE KEY-----` and on any line of the base64 body of any private key the database holds
(the emulator's own keys, the test CA's, and the uploaded ones)."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hostile"))
import launch  # noqa: E402

Z = launch.ZONE
V4 = "/client/v4"
CSRS = f"{V4}/zones/{Z}/custom_csrs"
HOSTS = f"{V4}/zones/{Z}/custom_hostnames"
CERTS = f"{V4}/zones/{Z}/custom_certificates"


def csr_body(key_type, names):
    return {"country": "US", "state": "MA", "locality": "Boston", "organization": "Acme",
            "common_name": names[0], "sans": names, "key_type": key_type}


def main():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "db.sqlite3")
        emulator = launch.Emulator(db, ["--key-pool", "1", "--log-level", "debug"])
        bodies = []

        def call(method, path, body=None, headers=None):
            status, answer = emulator.request(method, path, body, headers)
            bodies.append(answer if isinstance(answer, str) else json.dumps(answer))
            return status, answer

        try:
            status, p256 = call("POST", CSRS, csr_body("p256v1", ["app.acme.io", "www.acme.io"]))
            assert status == 201, p256
            status, rsa = call("POST", CSRS, csr_body("rsa2048", ["shop.acme.io"]))
            assert status == 201, rsa
            status, chain = call("POST", "/_emulator/ca/sign", {"csr": p256["result"]["csr"]})
            assert status == 200, chain
            ssl = {"custom_csr_id": p256["result"]["id"], "custom_certificate": chain}
            status, hostname = call("POST", HOSTS, {"hostname": "app.acme.io", "ssl": ssl})
            assert status == 201, hostname
            status, cert = call("POST", CERTS, {"certificate": chain, "custom_csr_id": p256["result"]["id"],
                                                "bundle_method": "force"})
            assert status == 200, cert
            # A key of our own, uploaded with a certificate the test CA signed for it.
            key_path, csr_path = os.path.join(tmp, "own.key"), os.path.join(tmp, "own.csr")
            subprocess.run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                            "-nodes", "-keyout", key_path, "-out", csr_path, "-subj", "/CN=blog.acme.io",
                            "-addext", "subjectAltName=DNS:blog.acme.io"], check=True, capture_output=True)
            own_key = open(key_path).read()
            status, own_chain = call("POST", "/_emulator/ca/sign", open(csr_path).read())
            assert status == 200, own_chain
            status, own_host = call("POST", HOSTS, {"hostname": "blog.acme.io",
                                                    "ssl": {"custom_certificate": own_chain, "custom_key": own_key}})
            assert status == 201, own_host
            status, own_cert = call("POST", CERTS, {"certificate": own_chain, "private_key": own_key,
                                                    "bundle_method": "force"})
            assert status == 200, own_cert
            # Reads, edits, refusals.
            for path in (CSRS, f"{CSRS}/{rsa['result']['id']}", HOSTS, f"{HOSTS}/{own_host['result']['id']}",
                         CERTS, f"{CERTS}/{own_cert['result']['id']}", "/_emulator/state", "/_emulator/journal",
                         "/_emulator/metrics", "/_emulator/health"):
                call("GET", path)
            call("PATCH", f"{HOSTS}/{own_host['result']['id']}", {"ssl": {"custom_certificate": own_chain,
                                                                         "custom_key": own_key}})
            call("POST", HOSTS, {"hostname": "bad.acme.io", "ssl": {"custom_certificate": own_chain,
                                                                   "custom_key": own_key.replace("A", "B", 3)}})
            call("POST", CERTS, {"certificate": own_chain, "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n"})
            call("DELETE", f"{CSRS}/{p256['result']['id']}")  # in use: 409
            call("POST", CSRS, "{not json", {"Content-Type": "application/json"})
            # Kept apart: the one response meant to carry keys, to prove the scan finds them.
            _, keyed = emulator.request("GET", "/_emulator/state?include_private_keys=true")
            assert emulator.terminate() == 0
        finally:
            if emulator.process.poll() is None:
                emulator.kill()
        log = emulator.log_text()

        keys = [own_key]
        with sqlite3.connect(db) as con:
            for table, column in (("custom_csrs", "private_key_pem"), ("custom_hostnames", "cert_private_key_pem"),
                                  ("custom_certificates", "cert_private_key_pem"), ("test_ca", "root_private_key_pem"),
                                  ("test_ca", "intermediate_private_key_pem")):
                keys += [row[0] for row in con.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL")]
        assert len(keys) >= 5, f"expected the CSRs', the CA's and the uploaded keys, got {len(keys)}"
        fragments = set()
        for pem in keys:
            for line in pem.splitlines():
                if not line.startswith("-----") and len(line) >= 16:
                    fragments.add(line)
        def leaks(text):
            # JSON escapes newlines, so match single lines, and the PEM armour.
            found = ["PEM private key armour"] if "PRIVATE KEY-----" in text else []
            if any(fragment in text for fragment in fragments):
                found.append("a line of a private key's base64 body")
            return found

        assert len(leaks(json.dumps(keyed))) == 2, "the scan does not see the keys of a keyed snapshot"
        hits = []
        for where, text in [("log", log)] + [(f"response {i}", b) for i, b in enumerate(bodies)]:
            hits += [f"{where}: {leak}" for leak in leaks(text)]
        print(f"{len(bodies)} responses, {len(log.splitlines())} log lines, {len(keys)} keys, "
              f"{len(fragments)} key lines searched: {len(hits)} hits")
        for hit in hits:
            print("FAIL", hit)
        sys.exit(1 if hits else 0)


if __name__ == "__main__":
    main()
