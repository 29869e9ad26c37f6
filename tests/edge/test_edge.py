"""The edge as a user checks it: openssl s_client and curl against the TLS edge, a plain-HTTP
fetch of the validation tokens, and an origin that echoes the headers Cloudflare adds.

Run through ctest (CSR_EMULATOR_BINARY and CSR_DNS_FIXTURE are set there).
"""
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from dns_server import DnsServer  # noqa: E402
from edge_fixture import ZONE, EchoOrigin, Emulator, eventually, run_suite  # noqa: E402

ORIGIN = "origin.saas-test.io"      # --edge-resolve'd to the echo origin
DOWN = "down.saas-test.io"          # --edge-resolve'd to an address nothing listens on
SILENT = "silent.saas-test.io"      # --edge-resolve'd to a listener that never answers
UNRESOLVABLE = "no-such-origin.csr-emulator-unresolvable.io"
ORIGIN_PORT = None                  # the echo origin's port, set by main()


def s_client(edge, name, *extra):
    """openssl s_client's output (stdout + stderr) and whether the handshake completed."""
    p = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{edge.edge_port}", "-servername", name,
                        "-showcerts", *extra], input=b"", capture_output=True, timeout=30)
    out = (p.stdout + p.stderr).decode(errors="replace")
    return out, "BEGIN CERTIFICATE" in out and p.returncode == 0


def certificates_in(text):
    return re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", text, re.S)


def openssl(args, data):
    return subprocess.run(["openssl", *args], input=data.encode(), capture_output=True, check=True).stdout.decode()


def leaf_serial(edge, name):
    out, ok = s_client(edge, name)
    assert ok, out
    return openssl(["x509", "-noout", "-serial"], certificates_in(out)[0]).strip()


def curl(edge, name, path="/", port=None, scheme="https", headers=()):
    port = port or (edge.edge_port if scheme == "https" else edge.edge_http_port)
    cmd = ["curl", "-sS", "--max-time", "20", "--resolve", f"{name}:{port}:127.0.0.1", "--cacert", edge.root_pem,
           "-D", "-", f"{scheme}://{name}:{port}{path}"]
    for h in headers:
        cmd += ["-H", h]
    p = subprocess.run(cmd, capture_output=True, timeout=30)
    text = p.stdout.decode(errors="replace")
    head, _, body = text.partition("\r\n\r\n")
    status = int(head.split()[1]) if head.startswith("HTTP/") else None
    hdrs = {":status-line": head.split("\r\n")[0]}
    for line in head.split("\r\n")[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return p.returncode, status, hdrs, body, p.stderr.decode(errors="replace")


def echoed_headers(body):
    return {k.lower(): v for k, v in json.loads(body)["headers"]}


# --- the tests ---------------------------------------------------------------------------------

def test_uploaded_chain_and_csr_key_are_served(edge):
    _, _, csr, chain = edge.serve("shop.customer-test.io", ORIGIN)
    out, ok = s_client(edge, "shop.customer-test.io")
    assert ok, out
    served = certificates_in(out)
    uploaded = certificates_in(chain)
    assert len(served) == 2, f"leaf + intermediate expected, got {len(served)}"
    assert [c.strip() for c in served] == [c.strip() for c in uploaded], "served chain differs from the upload"
    assert "Verify return code: 0 (ok)" in s_client(edge, "shop.customer-test.io", "-CAfile", edge.root_pem)[0]
    served_key = openssl(["x509", "-noout", "-pubkey"], served[0])
    csr_key = openssl(["req", "-noout", "-pubkey"], csr)
    assert served_key == csr_key, "served certificate's key is not the CSR's"


def test_curl_reaches_origin_with_cloudflare_headers(edge):
    code, status, hdrs, body, err = curl(edge, "shop.customer-test.io", "/cart?item=42",
                                         headers=["X-Forwarded-For: 203.0.113.9", "CF-Connecting-IP: 6.6.6.6"])
    assert code == 0 and status == 200, (code, status, err, body)
    seen = echoed_headers(body)
    assert json.loads(body)["path"] == "/cart?item=42"
    assert seen["host"] == f"shop.customer-test.io:{edge.edge_port}", seen
    assert seen["cf-connecting-ip"] == "127.0.0.1", "a visitor cannot forge CF-Connecting-IP"
    assert seen["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"
    assert seen["x-forwarded-proto"] == "https"
    assert seen["cf-visitor"] == '{"scheme":"https"}'
    assert seen["cdn-loop"] == "cloudflare"
    assert seen["cf-ipcountry"] == "XX"
    assert re.fullmatch(r"[0-9a-f]{16}-EMU", seen["cf-ray"]), seen["cf-ray"]
    assert hdrs["cf-ray"] == seen["cf-ray"], "the visitor and the origin see the same Ray ID"
    assert hdrs["server"] == "cloudflare"
    assert "x-accel-redirect" not in hdrs


def handshake_in_pieces(edge, name, first, pause):
    """A TLS handshake whose ClientHello reaches the edge as its first `first` bytes, then, after
    `pause` seconds, the rest. Returns the certificate the edge served (its subject's CN)."""
    context = ssl.create_default_context(cafile=edge.root_pem)
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname=name)
    with socket.create_connection(("127.0.0.1", edge.edge_port), timeout=20) as raw:
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            tls.do_handshake()
        except ssl.SSLWantReadError:
            pass
        hello = outgoing.read()
        raw.sendall(hello[:first])
        time.sleep(pause)
        raw.sendall(hello[first:])
        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                raw.sendall(outgoing.read())
                data = raw.recv(65536)
                assert data, "the edge closed the connection during the handshake"
                incoming.write(data)
        raw.sendall(outgoing.read())
        return dict(entry[0] for entry in tls.getpeercert()["subject"])["commonName"]


def test_client_hello_in_pieces_is_answered(edge):
    # The edge waits for the whole ClientHello before it starts TLS: a record header cut short, and
    # a record whose rest comes later, both still end in a handshake with the right certificate.
    edge.serve("pieces.customer-test.io", ORIGIN)
    assert handshake_in_pieces(edge, "pieces.customer-test.io", 3, 0.3) == "pieces.customer-test.io"
    assert handshake_in_pieces(edge, "pieces.customer-test.io", 100, 0.3) == "pieces.customer-test.io"


def test_unknown_name_fails_the_handshake(edge):
    out, ok = s_client(edge, "unknown.customer-test.io")
    assert not ok
    assert "alert handshake failure" in out, out
    code, status, _, _, err = curl(edge, "unknown.customer-test.io")
    assert code != 0 and status is None, err


def test_renewed_certificate_is_served_on_the_next_handshake(edge):
    hostname_id, csr_id, csr, _ = edge.serve("renew.customer-test.io", ORIGIN)
    before = leaf_serial(edge, "renew.customer-test.io")
    renewed = edge.sign(csr)
    r = edge.call("PATCH", f"/client/v4/zones/{ZONE}/custom_hostnames/{hostname_id}",
                  {"ssl": {"custom_csr_id": csr_id, "custom_certificate": renewed}})
    assert r["success"], r
    edge.wait_active(hostname_id)
    after = leaf_serial(edge, "renew.customer-test.io")
    assert before != after, "the renewed certificate is not served"
    assert after == openssl(["x509", "-noout", "-serial"], certificates_in(renewed)[0]).strip()


def test_pack_certificate_replaced_by_put_is_served(edge):
    """PUT .../certificate_pack/{ssl.id}/certificates/{id}: the next handshake presents the
    replacement (ECDSA for ECDSA), from the key of the CSR it was uploaded with."""
    hostname_id, _, _, _ = edge.serve("replace.customer-test.io", ORIGIN)
    before = leaf_serial(edge, "replace.customer-test.io")
    ssl = edge.hostname(hostname_id)["ssl"]
    csr_id, csr = edge.create_csr(["replace.customer-test.io"])
    replacement = edge.sign(csr)
    r = edge.call("PUT", f"/client/v4/zones/{ZONE}/custom_hostnames/{hostname_id}/certificate_pack/{ssl['id']}"
                         f"/certificates/{ssl['certificates'][0]['id']}",
                  {"custom_certificate": replacement, "custom_csr_id": csr_id})
    assert r["success"], r
    after = leaf_serial(edge, "replace.customer-test.io")
    assert before != after, "the replaced certificate is still served"
    assert after == openssl(["x509", "-noout", "-serial"], certificates_in(replacement)[0]).strip()


def test_deleted_hostname_is_no_longer_served(edge):
    hostname_id, _, _, _ = edge.serve("gone.customer-test.io", ORIGIN)
    assert s_client(edge, "gone.customer-test.io")[1]
    r = edge.call("DELETE", f"/client/v4/zones/{ZONE}/custom_hostnames/{hostname_id}")
    assert r["success"], r
    out, ok = s_client(edge, "gone.customer-test.io")
    assert not ok, out


def test_min_tls_version_1_3_refuses_tls_1_2(edge):
    edge.serve("modern.customer-test.io", ORIGIN, settings={"min_tls_version": "1.3"})
    out, ok = s_client(edge, "modern.customer-test.io", "-tls1_2")
    assert not ok, out
    assert "alert protocol version" in out, out
    assert s_client(edge, "modern.customer-test.io", "-tls1_3")[1]
    # The setting is the hostname's: another one still speaks TLS 1.2.
    assert s_client(edge, "shop.customer-test.io", "-tls1_2")[1]


def test_tls_1_0_and_1_1_get_protocol_version(edge):
    """The edge speaks TLS 1.2 and 1.3: an older ClientHello is answered with the protocol_version
    alert (it was internal_error), whatever the hostname's min_tls_version says."""
    edge.serve("old-clients.customer-test.io", ORIGIN, settings={"min_tls_version": "1.0"})
    for name in ("shop.customer-test.io", "old-clients.customer-test.io"):
        for version in ("-tls1_1", "-tls1"):
            # SECLEVEL=0: Debian's OpenSSL would otherwise not offer TLS 1.0/1.1 ciphers at all.
            out, ok = s_client(edge, name, version, "-cipher", "DEFAULT@SECLEVEL=0")
            assert not ok, out
            assert "alert protocol version" in out, (name, version, out)
    assert s_client(edge, "old-clients.customer-test.io", "-tls1_2")[1]


def test_tls_1_3_off_and_ciphers(edge):
    edge.serve("legacy.customer-test.io", ORIGIN, settings={
        "tls_1_3": "off", "ciphers": ["ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-GCM-SHA256"]})
    out, ok = s_client(edge, "legacy.customer-test.io", "-tls1_3")
    assert not ok, out
    out, ok = s_client(edge, "legacy.customer-test.io", "-tls1_2")
    assert ok and "Protocol  : TLSv1.2" in out, out
    assert "Cipher    : ECDHE-ECDSA-AES256-GCM-SHA384" in out, "the customer's cipher order is kept"
    out, ok = s_client(edge, "legacy.customer-test.io", "-tls1_2", "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305")
    assert not ok, "a cipher outside the hostname's list is refused"


def test_rsa_certificate(edge):
    edge.serve("rsa.customer-test.io", ORIGIN, key_type="rsa2048")
    out, ok = s_client(edge, "rsa.customer-test.io")
    assert ok, out
    assert "rsaEncryption" in openssl(["x509", "-noout", "-text"], certificates_in(out)[0])


def test_zone_custom_certificate_serves_its_hosts(edge):
    csr_id, csr = edge.create_csr(["legacy-ssl.customer-test.io"])
    r = edge.call("POST", f"/client/v4/zones/{ZONE}/custom_certificates",
                  {"certificate": edge.sign(csr), "custom_csr_id": csr_id})
    assert r["success"], r
    out, ok = s_client(edge, "legacy-ssl.customer-test.io")
    assert ok, out
    assert openssl(["x509", "-noout", "-pubkey"], certificates_in(out)[0]) == openssl(["req", "-noout", "-pubkey"], csr)


def test_origin_refusing_is_521(edge):
    edge.serve("down.customer-test.io", DOWN)
    code, status, hdrs, body, err = curl(edge, "down.customer-test.io")
    assert status == 521, (status, err)
    assert "Error code 521" in body and hdrs["cf-ray"] in body


def test_origin_name_not_resolving_is_523(edge):
    edge.serve("lost.customer-test.io", UNRESOLVABLE)
    code, status, hdrs, body, err = curl(edge, "lost.customer-test.io")
    assert status == 523, (status, err)
    assert "Error code 523" in body and hdrs["cf-ray"] in body
    # Cloudflare's reason phrase (no standard one exists for 52x) and a Date, as on every answer.
    assert hdrs[":status-line"] == "HTTP/1.1 523 Origin Is Unreachable", hdrs[":status-line"]
    assert re.fullmatch(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT", hdrs["date"]), hdrs


def test_origin_not_answering_is_524(edge):
    edge.serve("slow.customer-test.io", SILENT)
    code, status, hdrs, body, err = curl(edge, "slow.customer-test.io")
    assert status == 524, (status, err)
    assert "Error code 524" in body
    assert hdrs[":status-line"] == "HTTP/1.1 524 A Timeout Occurred", hdrs[":status-line"]
    assert "date" in hdrs, hdrs


def test_plain_http_tokens_and_proxy(edge):
    # A pending hostname's ownership token (shown until ownership is verified), and its
    # Cloudflare-managed certificate's HTTP DCV token (shown from the GET after the create).
    r = edge.call("POST", f"/client/v4/zones/{ZONE}/custom_hostnames",
                  {"hostname": "pending.customer-test.io", "ssl": {"method": "http", "type": "dv"}})
    assert r["success"], r
    pending = edge.hostname(r["result"]["id"])
    url = pending["ownership_verification_http"]["http_url"]
    path = url.split("pending.customer-test.io", 1)[1]
    code, status, _, body, err = curl(edge, "pending.customer-test.io", path, scheme="http")
    assert status == 200 and body == pending["ownership_verification_http"]["http_body"], (status, body, err)
    records = pending["ssl"].get("validation_records") or []
    http_records = [rec for rec in records if rec.get("http_url")]
    assert http_records, records
    dcv_path = http_records[0]["http_url"].split("pending.customer-test.io", 1)[1]
    code, status, _, body, err = curl(edge, "pending.customer-test.io", dcv_path, scheme="http")
    assert status == 200 and body == http_records[0]["http_body"], (status, body)
    # ... and nothing is served over TLS for it while it is pending.
    assert not s_client(edge, "pending.customer-test.io")[1]
    code, status, _, body, err = curl(edge, "shop.customer-test.io", "/.well-known/pki-validation/nope.txt",
                                      scheme="http")
    assert status == 404
    # Everything else is proxied over plain HTTP, as Cloudflare does without "Always Use HTTPS".
    code, status, _, body, err = curl(edge, "shop.customer-test.io", "/plain", scheme="http")
    assert status == 200, (status, err)
    seen = echoed_headers(body)
    assert seen["x-forwarded-proto"] == "http" and seen["cf-visitor"] == '{"scheme":"http"}'


def test_body_over_the_limit_is_413(edge):
    with socket.create_connection(("127.0.0.1", edge.edge_http_port), timeout=10) as s:
        s.sendall(b"POST /upload HTTP/1.1\r\nHost: shop.customer-test.io\r\nContent-Length: 200000000\r\n\r\n")
        answer = b""
        while chunk := s.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"CF-Ray" in answer


def test_wildcard_hostname_covers_one_label(edge):
    edge.serve("*.stores.customer-test.io", ORIGIN)
    out, ok = s_client(edge, "berlin.stores.customer-test.io")
    assert ok, out
    code, status, _, body, err = curl(edge, "berlin.stores.customer-test.io", "/w")
    assert status == 200 and echoed_headers(body)["host"].startswith("berlin.stores.customer-test.io"), (status, err)
    assert not s_client(edge, "a.b.stores.customer-test.io")[1], "RFC 6125: the wildcard covers one label only"


def test_settings_for_unknown_names_and_plain_http(_):
    """The other choices: unrecognized_name instead of handshake_failure, and Always Use HTTPS."""
    other = Emulator(["--edge-unknown-sni-alert", "unrecognized_name", "--edge-always-https", "on"])
    try:
        out, ok = s_client(other, "unknown.customer-test.io")
        assert not ok and "unrecognized name" in out, out
        code, status, hdrs, _, err = curl(other, "any.customer-test.io", "/x?y=1", scheme="http")
        assert status == 301, (status, err)
        assert hdrs["location"] == f"https://any.customer-test.io:{other.edge_port}/x?y=1"
    finally:
        other.stop()


def test_dv_hostname_is_served_its_issued_certificates(_):
    """--validation auto, step 0: a Cloudflare-managed (DV) hostname is active in the create
    response, and the edge presents the pair the emulator's CA issued for it: the ECDSA one by
    default, the RSA one to a client that only takes RSA signatures."""
    dv = Emulator(["--validation", "auto", "--validation-step", "0", "--edge-origin-port", str(ORIGIN_PORT),
                   "--edge-resolve", f"{ORIGIN}:127.0.0.1"])
    try:
        r = dv.call("POST", f"/client/v4/zones/{ZONE}/custom_hostnames",
                    {"hostname": "dv.customer-test.io", "custom_origin_server": ORIGIN,
                     "ssl": {"method": "txt", "type": "dv"}})
        assert r["success"], r
        h = r["result"]
        assert (h["status"], h["ssl"]["status"]) == ("active", "active"), h
        shown = h["ssl"]["certificates"]
        assert len(shown) == 2, shown

        out, ok = s_client(dv, "dv.customer-test.io", "-CAfile", dv.root_pem)
        assert ok and "Verify return code: 0 (ok)" in out, out
        leaf = certificates_in(out)[0]
        text = openssl(["x509", "-noout", "-text"], leaf)
        assert "DNS:dv.customer-test.io" in text and "id-ecPublicKey" in text, text
        serial = int(openssl(["x509", "-noout", "-serial"], leaf).strip().split("=", 1)[1], 16)
        assert serial == int(shown[0]["serial_number"]), (serial, shown[0])

        out, ok = s_client(dv, "dv.customer-test.io", "-CAfile", dv.root_pem,
                           "-sigalgs", "rsa_pss_rsae_sha256:rsa_pkcs1_sha256")
        assert ok and "Verify return code: 0 (ok)" in out, out
        rsa_leaf = certificates_in(out)[0]
        assert "rsaEncryption" in openssl(["x509", "-noout", "-text"], rsa_leaf)
        serial = int(openssl(["x509", "-noout", "-serial"], rsa_leaf).strip().split("=", 1)[1], 16)
        assert serial == int(shown[1]["serial_number"]), (serial, shown[1])

        code, status, _, body, err = curl(dv, "dv.customer-test.io", "/dv")
        assert code == 0 and status == 200, (code, status, err, body)
        assert json.loads(body)["path"] == "/dv"

    finally:
        dv.stop()


def manual_dv_hostname_owned(manual, name, method):
    """A DV hostname created on a --validation manual emulator, its ownership verified: the
    control-plane route that advances it."""
    r = manual.call("POST", f"/client/v4/zones/{ZONE}/custom_hostnames",
                    {"hostname": name, "ssl": {"method": method, "type": "dv"}})
    assert r["success"], r
    route = f"/_emulator/zones/{ZONE}/custom_hostnames/{r['result']['id']}"
    assert manual.call("POST", route + "/verify_ownership", {})["success"]
    return route


def test_manual_dv_hostname_is_served_once_advanced_to_active(_):
    manual = Emulator(["--validation", "manual"])
    try:
        route = manual_dv_hostname_owned(manual, "later.customer-test.io", "http")
        for _ in range(3):
            assert manual.call("POST", route + "/advance_certificate", {})["success"]
        assert not s_client(manual, "later.customer-test.io")[1], "served before the certificate is active"
        active = manual.call("POST", route + "/advance_certificate", {})["result"]
        assert active["ssl"]["status"] == "active", active
        out, ok = s_client(manual, "later.customer-test.io", "-CAfile", manual.root_pem)
        assert ok and "Verify return code: 0 (ok)" in out, out
    finally:
        manual.stop()


def served_serial(emulator, name):
    """The decimal serial of the leaf the edge presents for `name` (the handshake's own, no
    verification: after a clock jump the pair is dated in the emulator's future)."""
    out, ok = s_client(emulator, name)
    assert ok, out
    return int(openssl(["x509", "-noout", "-serial"], certificates_in(out)[0]).strip().split("=", 1)[1], 16)


def test_renewed_dv_pair_is_served_and_expired_upload_is_not(_):
    """The clock renews a DV pair 30 days before its end: after POST /_emulator/clock advance
    70d the edge presents the new pair (the serial the API shows); an uploaded certificate past
    its notAfter is expired and no longer presented (no other certificate covers the name: the
    handshake fails as for an unknown name); so is a zone custom certificate past its end."""
    em = Emulator(["--validation", "auto", "--validation-step", "0"])
    try:
        r = em.call("POST", f"/client/v4/zones/{ZONE}/custom_hostnames",
                    {"hostname": "renew-dv.customer-test.io", "ssl": {"method": "txt", "type": "dv"}})
        assert r["success"], r
        dv = r["result"]
        assert served_serial(em, "renew-dv.customer-test.io") == int(dv["ssl"]["serial_number"])

        csr_id, csr = em.create_csr(["lapse.customer-test.io"])
        chain = em.call("POST", "/_emulator/ca/sign", {"csr": csr, "days": 30})
        upload_id = em.create_hostname("lapse.customer-test.io", csr_id, chain)
        assert em.hostname(upload_id)["ssl"]["status"] == "active"
        assert s_client(em, "lapse.customer-test.io")[1]

        zone_csr_id, zone_csr = em.create_csr(["zone-lapse.customer-test.io"])
        zone_chain = em.call("POST", "/_emulator/ca/sign", {"csr": zone_csr, "days": 30})
        zone_cert = em.call("POST", f"/client/v4/zones/{ZONE}/custom_certificates",
                            {"certificate": zone_chain, "custom_csr_id": zone_csr_id})
        assert zone_cert["success"], zone_cert
        assert s_client(em, "zone-lapse.customer-test.io")[1]

        assert em.call("POST", "/_emulator/clock", {"advance": "70d"})["success"]
        # A read settles and stores what the clock did (the background settler would too).
        renewed = em.hostname(dv["id"])
        assert renewed["ssl"]["status"] == "active", renewed
        assert renewed["ssl"]["serial_number"] != dv["ssl"]["serial_number"]
        assert served_serial(em, "renew-dv.customer-test.io") == int(renewed["ssl"]["serial_number"])

        expired = em.hostname(upload_id)
        assert expired["ssl"]["status"] == "expired", expired
        out, ok = s_client(em, "lapse.customer-test.io")
        assert not ok and "alert handshake failure" in out, out
        # A zone custom certificate past its end: expired in the API, and no longer presented.
        shown = em.call("GET", f"/client/v4/zones/{ZONE}/custom_certificates/{zone_cert['result']['id']}")
        assert shown["result"]["status"] == "expired", shown
        out, ok = s_client(em, "zone-lapse.customer-test.io")
        assert not ok and "alert handshake failure" in out, out
    finally:
        em.stop()


def test_renewing_dv_hostname_keeps_its_old_pair_until_the_new_one_is_active(_):
    manual = Emulator(["--validation", "manual"])
    try:
        route = manual_dv_hostname_owned(manual, "slow.customer-test.io", "txt")
        for _ in range(4):
            active = manual.call("POST", route + "/advance_certificate", {})["result"]
        old = int(active["ssl"]["serial_number"])
        assert served_serial(manual, "slow.customer-test.io") == old

        assert manual.call("POST", "/_emulator/clock", {"advance": "61d"})["success"]
        assert manual.hostname(route.rsplit("/", 1)[1])["ssl"]["status"] == "pending_deployment"
        assert served_serial(manual, "slow.customer-test.io") == old, "the old pair is served while renewing"
        new = manual.call("POST", route + "/advance_certificate", {})["result"]
        assert new["ssl"]["status"] == "active", new
        assert int(new["ssl"]["serial_number"]) != old
        assert served_serial(manual, "slow.customer-test.io") == int(new["ssl"]["serial_number"])
    finally:
        manual.stop()


def test_dns_validated_hostname_is_served_its_issued_certificate(_):
    """--validation dns: once the customer's CNAME to the zone's fallback origin is in the DNS
    server (a real dnsmasq), the hostname is validated, and the edge presents the DV leaf the
    emulator's CA issued for it, ECDSA by default, chaining to /_emulator/ca/root.pem; before
    that nothing is served for the name. Requests reach the fallback origin."""
    name, fallback = "dns.customer-test.io", "fallback.saas-test.io"
    records = {"addresses": [[fallback, "127.0.0.1"], ["customer-test.io", "127.0.0.1"]]}
    dns = DnsServer(records)
    validated = None
    try:
        validated = Emulator(["--validation", "dns", "--dns-server", dns.address, "--validation-step", "50",
                              "--validation-backoff-scale", "0.001", "--edge-origin-port", str(ORIGIN_PORT),
                              "--edge-resolve", f"{fallback}:127.0.0.1"])
        r = validated.call("PUT", f"/client/v4/zones/{ZONE}/custom_hostnames/fallback_origin", {"origin": fallback})
        assert r["success"], r
        r = validated.call("POST", f"/client/v4/zones/{ZONE}/custom_hostnames",
                           {"hostname": name, "ssl": {"method": "txt", "type": "dv"}})
        assert r["success"], r
        hostname_id = r["result"]["id"]
        assert (r["result"]["status"], r["result"]["ssl"]["status"]) == ("pending", "initializing"), r["result"]
        assert not s_client(validated, name)[1], "served before it is validated"

        dns.replace({**records, "cnames": [[name, fallback]]})
        h = validated.wait_active(hostname_id)
        issued = h["ssl"]["certificates"]
        assert len(issued) == 2, issued

        out, ok = s_client(validated, name, "-CAfile", validated.root_pem)
        assert ok and "Verify return code: 0 (ok)" in out, out
        leaf = certificates_in(out)[0]
        text = openssl(["x509", "-noout", "-text"], leaf)
        assert f"DNS:{name}" in text and "id-ecPublicKey" in text, text
        assert "Issuer: CN = csr-emulator Test Intermediate CA" in text, text
        serial = int(openssl(["x509", "-noout", "-serial"], leaf).strip().split("=", 1)[1], 16)
        assert serial == int(issued[0]["serial_number"]) == int(h["ssl"]["serial_number"]), (serial, issued[0])

        code, status, _, body, err = curl(validated, name, "/through-the-fallback-origin")
        assert code == 0 and status == 200, (code, status, err, body)
        assert json.loads(body)["path"] == "/through-the-fallback-origin"
    finally:
        if validated:
            validated.stop()
        dns.stop()


def test_fallback_origin_takes_traffic_without_being_read(_):
    """--validation auto: a fallback origin nobody reads after its PUT is made active by the
    background settler one --validation-step later, and the edge then proxies a hostname without
    custom_origin_server to it (530, error 1016, while it is pending)."""
    name = "fallback.customer-test.io"
    auto = Emulator(["--validation", "auto", "--validation-step", "1000", "--edge-origin-port", str(ORIGIN_PORT),
                     "--edge-resolve", f"{ORIGIN}:127.0.0.1"])
    try:
        auto.serve(name)  # no custom_origin_server; polled until active (the hostname, not the origin)
        r = auto.call("PUT", f"/client/v4/zones/{ZONE}/custom_hostnames/fallback_origin", {"origin": ORIGIN})
        put_at = time.monotonic()
        assert r["success"] and r["result"]["status"] == "pending_deployment", r
        code, status, _, body, err = curl(auto, name, "/early", scheme="http")
        if time.monotonic() - put_at < 0.9:  # still within the step (a loaded machine may be later)
            assert status == 530 and "1016" in body, (status, err, body)
        # Real time, not the emulator's clock: what is awaited is the settler's own timer.
        code, status, _, body, err = eventually(
            lambda: curl(auto, name, "/through-the-fallback-origin", scheme="http"), lambda got: got[1] == 200,
            "the fallback origin served through the edge", 20, 0.05)
        assert time.monotonic() - put_at >= 1.0, "active before its step"
        assert json.loads(body)["path"] == "/through-the-fallback-origin"
        journal = auto.call("GET", "/_emulator/journal?method=GET&path_prefix=/client/v4/zones/"
                            f"{ZONE}/custom_hostnames/fallback_origin")
        assert journal["result"] == [], journal  # nobody read it
    finally:
        auto.stop()


def test_certificate_pack_is_served_for_its_hosts(_):
    """An advanced certificate pack (--validation auto, step 0: active in the order answer) is
    presented for its hosts and a name its wildcard covers, ECDSA by default and RSA to an
    RSA-only client, each the serial the pack shows; a name outside it gets no certificate; its
    renewal is served without any API read; once the pack is deleted its hosts are not served."""
    zone_id = "3b2a1c0d9e8f7a6b5c4d3e2f1a0b9c8d"
    em = Emulator(["--validation", "auto", "--validation-step", "0", "--zone", f"edge-packs.io:{zone_id}"])
    try:
        r = em.call("POST", f"/client/v4/zones/{zone_id}/ssl/certificate_packs/order",
                    {"type": "advanced", "hosts": ["edge-packs.io", "*.edge-packs.io"], "validation_method": "txt",
                     "validity_days": 90, "certificate_authority": "google"})
        assert r["success"], r
        pack = r["result"]
        assert pack["status"] == "active", pack
        shown = pack["certificates"]
        for name in ("edge-packs.io", "shop.edge-packs.io"):
            out, ok = s_client(em, name, "-CAfile", em.root_pem)
            assert ok and "Verify return code: 0 (ok)" in out, out
            leaf = certificates_in(out)[0]
            assert "id-ecPublicKey" in openssl(["x509", "-noout", "-text"], leaf)
            serial = int(openssl(["x509", "-noout", "-serial"], leaf).strip().split("=", 1)[1], 16)
            assert serial == int(shown[0]["serial_number"]), (serial, shown[0])
        out, ok = s_client(em, "edge-packs.io", "-CAfile", em.root_pem, "-sigalgs", "rsa_pss_rsae_sha256:rsa_pkcs1_sha256")
        assert ok, out
        rsa_leaf = certificates_in(out)[0]
        serial = int(openssl(["x509", "-noout", "-serial"], rsa_leaf).strip().split("=", 1)[1], 16)
        assert serial == int(shown[1]["serial_number"]), (serial, shown[1])
        assert not s_client(em, "a.b.edge-packs.io")[1]
        # Past its renewal (30 days before the end) with no API read: the background settler
        # renews it, and the edge presents the new pair.
        first = leaf_serial(em, "edge-packs.io")
        assert em.call("POST", "/_emulator/clock", {"advance": "61d"})["success"]
        eventually(lambda: leaf_serial(em, "edge-packs.io"), lambda serial: serial != first,
                   "the renewed pack served", 120, 0.1)  # new keys: low-priority workers on a busy machine
        assert em.call("DELETE", f"/client/v4/zones/{zone_id}/ssl/certificate_packs/{pack['id']}")["success"]
        assert not s_client(em, "edge-packs.io")[1]
    finally:
        em.stop()


def silent_listener(port):
    """Accepts on 127.0.0.3:port and never answers (the origin of the 524 test)."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.3", port))
    s.listen(16)
    held = []
    threading.Thread(target=lambda: [held.append(s.accept()) for _ in iter(int, 1)], daemon=True).start()
    return s


def main():
    global ORIGIN_PORT
    origin = EchoOrigin()
    ORIGIN_PORT = origin.port
    silent = silent_listener(origin.port)
    edge = Emulator(["--edge-origin-port", str(origin.port),
                     "--edge-resolve", f"{ORIGIN}:127.0.0.1", "--edge-resolve", f"{DOWN}:127.0.0.2",
                     "--edge-resolve", f"{SILENT}:127.0.0.3",
                     "--edge-connect-timeout", "2000", "--edge-read-timeout", "1000"])
    try:
        return run_suite(globals(), edge)
    finally:
        edge.stop()
        origin.stop()
        silent.close()


if __name__ == "__main__":
    sys.exit(main())
