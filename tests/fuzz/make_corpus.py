#!/usr/bin/env python3
"""Writes the seed corpora in tests/fuzz/corpus/<target>/ from the requests, bodies, names and
PEMs the test suite uses (tests/http, tests/api, the tutorial). Rerun after changing it; the files
are small and committed. PEMs come from the openssl CLI (a CA, an intermediate, a leaf for
app.acme.io, its key, a self-signed leaf), valid around the fuzzers' fixed clock (2026-11-30)."""
import json, os, pathlib, subprocess, tempfile

here = pathlib.Path(__file__).resolve().parent
zone = "023e105f4ecef8ad9ca31a8372d0c353"
account = "01a7362d577a6c3019a474fd6f485823"


def write(target, name, data):
    folder = here / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())


# The openssl CLI in folder d; EC_KEY: a new P-256 key, unencrypted.
def openssl(d, *args):
    subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)


EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]


csr_body = {"country": "US", "state": "MA", "locality": "Boston", "organization": "City of Boston",
            "organizational_unit": "Championship Parade Detail", "common_name": "app.acme.io",
            "sans": ["app.acme.io", "www.acme.io", "blog.acme.io", "acme.io"], "key_type": "p256v1"}
bodies = {
    "csr_p256": (0, csr_body),
    "csr_rsa_account": (1, dict(csr_body, key_type="rsa2048", name="n", description="d")),
    "hostname": (2, {"hostname": "shop.acme.io", "ssl": {"method": "http", "type": "dv", "settings": {"min_tls_version": "1.2"}},
                     "custom_origin_server": "origin.acme.io", "custom_metadata": {"k": "v"}}),
    "hostname_edit": (3, {"ssl": {"method": "txt", "type": "dv"}, "custom_origin_sni": "sni.acme.io"}),
    "hostname_edit_missing": (4, {"custom_origin_server": "o.acme.io"}),
    "certificate": (5, {"certificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                        "private_key": "", "bundle_method": "force", "geo_restrictions": {"label": "us"}}),
    "certificate_edit": (6, {"bundle_method": "ubiquitous", "policy": "(country: US)"}),
    "prioritize": (7, {"certificates": [{"id": "00000000-0000-4000-8000-000000000001", "priority": 2}]}),
    "fallback_origin": (8, {"origin": "fallback.acme.io"}),
    "ca_sign": (9, {"csr": "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n", "days": 30}),
    "reset_zone": (10, {"zone_id": zone}),
    "state": (11, {"schema_version": 4, "custom_csrs": [], "custom_hostnames": [], "custom_certificates": []}),
}
for name, (route, body) in bodies.items():
    write("fuzz_routes", name, bytes([route]) + json.dumps(body).encode())
# Nesting near the 64-level bound: the way to the deep-nesting class of bug (README, issue #11).
write("fuzz_routes", "nested_60", bytes([11]) + ('{"custom_csrs":' + "[" * 58 + "]" * 58 + "}").encode())

def http(method, path, body=b"", headers=()):
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Authorization: Bearer test", *headers]
    if body or method in ("POST", "PUT", "PATCH"):
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

base = f"/client/v4/zones/{zone}"
write("fuzz_http", "get_csrs", http("GET", f"{base}/custom_csrs?page=1&per_page=5"))
write("fuzz_http", "post_csr", http("POST", f"{base}/custom_csrs", json.dumps(csr_body).encode()))
write("fuzz_http", "post_hostname", http("POST", f"{base}/custom_hostnames", json.dumps(bodies["hostname"][1]).encode()))
write("fuzz_http", "list_hostnames", http("GET", f"{base}/custom_hostnames?hostname.contain=acme&ssl=1&order=ssl&direction=desc"))
write("fuzz_http", "list_certificates", http("GET", f"{base}/custom_certificates?status=active&match=all&per_page=50"))
write("fuzz_http", "account_csrs", http("GET", f"/accounts/{account}/custom_csrs?order=created_on&direction=desc"))
write("fuzz_http", "global_key", ("GET /zones/%s/custom_csrs HTTP/1.1\r\nX-Auth-Email: user@acme.io\r\n"
                                  "X-Auth-Key: 0123456789abcdef0123456789abcdef01234\r\n\r\n" % zone).encode())
write("fuzz_http", "chunked_pipelined",
      ("POST /_emulator/reset HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n").encode() +
      http("GET", "/_emulator/state?include_private_keys=true") + http("GET", "/_emulator/health"))
write("fuzz_http", "delete_patch", http("DELETE", f"{base}/custom_csrs/00000000-0000-4000-8000-000000000001") +
      http("PATCH", f"{base}/custom_hostnames/00000000-0000-4000-8000-000000000002", b'{"ssl":{"method":"txt"}}'))
write("fuzz_http", "root_pem", http("GET", "/_emulator/ca/root.pem"))

for i, name in enumerate(["app.acme.io", "*.acme.io", "xn--bcher-kva.example", "a.b.c.d.co.uk", "localhost",
                          "192.168.0.1", "-bad-.acme.io", "acme.io.", "foo.test", "x" * 64 + ".acme.io",
                          "*.shop.acme.io\nx.shop.acme.io", "www.example.com", "m\u00fcnchen.de"]):
    write("fuzz_names", f"name_{i}", name)

for i, q in enumerate(["page=2&per_page=5", "per_page=1000&page=0", "page=-1", "page=abc", "direction=desc&order=created_on",
                       "hostname.contain=acme&hostname.startsWith=app&ssl=1", "id=%41%2", "a+b=c%20d&&=&page=99999999999999999999",
                       "include_private_keys=true"]):
    write("fuzz_query", f"query_{i}", q)

with tempfile.TemporaryDirectory() as d:
    openssl(d, "req", "-x509", *EC_KEY, "-keyout", "root.key", "-out", "root.pem", "-subj", "/CN=Fuzz Root",
        "-days", "7300", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl(d, "req", *EC_KEY, "-keyout", "int.key", "-out", "int.csr", "-subj", "/CN=Fuzz Intermediate")
    pathlib.Path(d, "ca.ext").write_text("basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n")
    openssl(d, "x509", "-req", "-in", "int.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial",
        "-out", "int.pem", "-days", "3650", "-extfile", "ca.ext")
    openssl(d, "req", *EC_KEY, "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=app.acme.io")
    pathlib.Path(d, "leaf.ext").write_text("subjectAltName=DNS:app.acme.io,DNS:*.acme.io\nextendedKeyUsage=serverAuth\n")
    openssl(d, "x509", "-req", "-in", "leaf.csr", "-CA", "int.pem", "-CAkey", "int.key", "-CAcreateserial",
        "-out", "leaf.pem", "-days", "3650", "-extfile", "leaf.ext")
    openssl(d, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "self.key", "-out", "self.pem",
        "-subj", "/CN=self.acme.io", "-days", "3650", "-sha1")
    read = lambda n: pathlib.Path(d, n).read_bytes()
    chain = read("leaf.pem") + read("int.pem")
    write("fuzz_certificate", "chain_key", b"\x07" + chain + b"\0" + read("leaf.key"))
    write("fuzz_certificate", "chain_root", b"\x0e" + chain + read("root.pem"))
    write("fuzz_certificate", "self_signed_rsa", b"\x01" + read("self.pem") + b"\0" + read("self.key"))
    write("fuzz_certificate", "wrong_key", b"\x03" + read("leaf.pem") + b"\0" + read("self.key"))
    write("fuzz_certificate", "garbage", b"\x08-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    # A real chain as an upload body too.
    cert_body = {"certificate": chain.decode(), "private_key": read("leaf.key").decode(), "bundle_method": "ubiquitous"}
    write("fuzz_routes", "certificate_real", bytes([5]) + json.dumps(cert_body).encode())

# The state document (fuzz_state_document): a valid snapshot (a zone CSR with its key, a hostname
# and a certificate uploaded for it, a fallback origin) and broken ones near each rule.
with tempfile.TemporaryDirectory() as d:
    openssl(d, "req", "-x509", *EC_KEY, "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Fuzz State CA",
        "-days", "7300", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")
    openssl(d, "req", *EC_KEY, "-keyout", "csr.key", "-out", "csr.pem",
        "-subj", "/C=US/ST=MA/L=Boston/O=Acme/CN=app.acme.io", "-addext", "subjectAltName=DNS:app.acme.io,DNS:www.acme.io")
    pathlib.Path(d, "leaf.ext").write_text("subjectAltName=DNS:app.acme.io,DNS:www.acme.io\nextendedKeyUsage=serverAuth\n")
    openssl(d, "x509", "-req", "-in", "csr.pem", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "leaf.pem", "-days", "3650", "-extfile", "leaf.ext")
    read = lambda n: pathlib.Path(d, n).read_text()
    chain = read("leaf.pem") + read("ca.pem")
    csr_id, host_id, cert_id = ("00000000-0000-4000-8000-00000000000" + str(i) for i in (1, 2, 3))
    facts = {"cert_chain_pem": chain, "cert_issuer": "Fuzz State CA", "cert_serial_number": "1",
             "cert_signature": "ECDSAWithSHA256", "cert_not_before": "2026-01-01T00:00:00Z",
             "cert_not_after": "2036-01-01T00:00:00Z", "cert_hosts": "app.acme.io\nwww.acme.io",
             "cert_fingerprint_sha256": "00"}
    state = {
        "schema_version": 10,
        "custom_csrs": [{"id": csr_id, "scope": "zone", "scope_id": zone, "created_at": "2026-11-30T00:00:00.000000Z",
                         "key_type": "p256v1", "country": "US", "state": "MA", "locality": "Boston",
                         "organization": "Acme", "common_name": "app.acme.io", "csr_pem": read("csr.pem"),
                         "private_key_pem": read("csr.key"), "sans": ["app.acme.io", "www.acme.io"]}],
        "custom_hostnames": [dict(facts, **{
            "id": host_id, "zone_id": zone, "hostname": "app.acme.io", "status": "pending",
            "created_at": "2026-11-30T00:00:00.000000Z", "custom_metadata": '{"team":"web"}',
            "ownership_token": "token", "ssl_id": "00000000-0000-4000-8000-000000000004", "ssl_status": "pending_deployment",
            "ssl_method": "http", "ssl_type": "dv", "ssl_bundle_method": "ubiquitous", "ssl_wildcard": 0,
            "ssl_settings": '{"min_tls_version":"1.2"}', "ssl_uploaded_on": "2026-11-30T00:00:00Z",
            "custom_csr_id": csr_id, "ownership_attempts": 0, "verification_errors": "[]", "ssl_attempts": 0,
            "ssl_validation_errors": "[]"})],
        "custom_certificates": [dict(facts, **{
            "id": cert_id, "zone_id": zone, "type": "legacy_custom", "bundle_method": "ubiquitous",
            "deploy": "production", "priority": 20, "uploaded_on": "2026-11-30T00:00:00Z",
            "modified_on": "2026-11-30T00:00:00Z", "custom_csr_id": csr_id})],
        "fallback_origins": [{"zone_id": zone, "origin": "fallback.acme.io", "status": "active", "errors": "[]",
                              "created_at": "2026-11-30T00:00:00.000000Z", "updated_at": "2026-11-30T00:00:00.000000Z",
                              "attempts": 0}],
    }
    write("fuzz_state_document", "valid", json.dumps(state, indent=1))
    write("fuzz_state_document", "empty", json.dumps({"schema_version": 10}))

    def broken(name, table, field, value):
        document = json.loads(json.dumps(state))
        document[table][0][field] = value
        write("fuzz_state_document", name, json.dumps(document, indent=1))
    # The crash of issue #25 (kept under the fuzzer's 256 KiB max_len), and its neighbours.
    broken("deep_ssl_settings", "custom_hostnames", "ssl_settings", "[" * 100000 + "]" * 100000)
    broken("unbalanced_metadata", "custom_hostnames", "custom_metadata", '{"team":')
    broken("errors_not_array", "custom_hostnames", "verification_errors", "{}")
    broken("wrong_key", "custom_csrs", "private_key_pem", read("ca.key"))
    broken("cross_zone_csr", "custom_certificates", "zone_id", "9a7806061c88ada191ed06f989cc3dac")
    broken("bad_time", "custom_hostnames", "created_at", "9999-12-31T23:59:59.999999Z")
    broken("negative_attempts", "custom_hostnames", "ssl_attempts", -1)
    broken("bad_status", "custom_hostnames", "ssl_status", "done")
    broken("example_hostname", "custom_hostnames", "hostname", "app.example.com")
    duplicate = json.loads(json.dumps(state))
    duplicate["custom_hostnames"].append(dict(duplicate["custom_hostnames"][0], id="00000000-0000-4000-8000-000000000005"))
    write("fuzz_state_document", "duplicate_hostname", json.dumps(duplicate, indent=1))
    # Field mode: a first byte other than '{' picks a field of "valid"; the rest is its value.
    for i, value in enumerate(['"[[[[]]]]"', '"2026-11-30T00:00:00.000000Z"', "-1", '"app.acme.io"', "null", "7"]):
        write("fuzz_state_document", f"field_{i}", bytes([0x30 + 7 * i]) + value.encode())
