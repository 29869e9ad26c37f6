"""Table-driven malformed requests against the real binary (issue #11): each row is one request
with the exact status and Cloudflare error code it must get. Every answer must be a 4xx with the
failure envelope (success false, one error with that code, result null), never a 5xx or a
crash, and the database must be unchanged afterwards (the whole state snapshot, keys included,
compared before and after). `--discover` prints what each row gets instead of asserting."""
import json
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hostile"))
import launch  # noqa: E402

Z = launch.ZONE
A = "01a7362d577a6c3019a474fd6f485823"
V4 = "/client/v4"
CSRS = f"{V4}/zones/{Z}/custom_csrs"
ACSRS = f"{V4}/accounts/{A}/custom_csrs"
HOSTS = f"{V4}/zones/{Z}/custom_hostnames"
CERTS = f"{V4}/zones/{Z}/custom_certificates"
UUID = "7b163417-1d2b-4c84-a38a-2fb7a0cd7752"
HEX32 = "0123456789abcdef0123456789abcdef"
JSON = {"Content-Type": "application/json"}
GOOD_CSR = {"country": "US", "state": "MA", "locality": "Boston", "organization": "Acme",
            "common_name": "app.acme.io", "sans": ["app.acme.io"], "key_type": "p256v1"}
PEM_GARBAGE = "-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n"
KEY_GARBAGE = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"


def csr(**changes):
    body = dict(GOOD_CSR)
    for k, v in changes.items():
        if v is None:
            body.pop(k, None)
        else:
            body[k] = v
    return json.dumps(body)


# (name, method, path, body (str or None), extra headers, status, code)
ROWS = [
    # Routes and methods
    # Unknown routes: the current gateway's 404 / 10404 "No route for that URI" (Cloudflare's documentation).
    ("unknown path", "GET", f"{V4}/zones/{Z}/nothing_here", None, {}, 404, 10404),
    ("unknown top level", "GET", "/nope", None, {}, 404, 10404),
    ("PUT on the CSR collection", "PUT", CSRS, "{}", JSON, 405, 7001),
    ("PATCH on a CSR", "PATCH", f"{CSRS}/{UUID}", "{}", JSON, 405, 7001),
    ("DELETE on the CSR collection", "DELETE", CSRS, None, {}, 405, 7001),
    ("PUT on the hostname collection", "PUT", HOSTS, "{}", JSON, 405, 7001),
    ("POST on one hostname", "POST", f"{HOSTS}/{UUID}", "{}", JSON, 405, 7001),
    ("DELETE on the certificate collection", "DELETE", CERTS, None, {}, 405, 7001),
    ("POST on one certificate", "POST", f"{CERTS}/{HEX32}", "{}", JSON, 405, 7001),
    ("GET prioritize", "GET", f"{CERTS}/prioritize", None, {}, 400, 1002),
    ("TRACE method", "TRACE", CSRS, None, {}, 405, 7001),
    ("made-up method", "BREW", CSRS, None, {}, 405, 7001),
    ("emulator route under /client/v4", "GET", f"{V4}/_emulator/health", None, {}, 404, 10404),
    ("DELETE on emulator health", "DELETE", "/_emulator/health", None, {}, 405, 7001),
    # An empty or malformed zone id where a route would be: the gateway's bad-identifier answer.
    ("double slash in path", "GET", f"{V4}/zones//custom_csrs", None, {}, 404, 7003),
    ("zone id not 32 hex digits", "GET", f"{V4}/zones/my-zone/custom_csrs", None, {}, 404, 7003),
    ("bad zone id on an unknown path", "GET", f"{V4}/zones/my-zone/nothing_here", None, {}, 404, 10404),
    ("account id not 32 hex digits", "GET", f"{V4}/accounts/acct/custom_csrs", None, {}, 404, 7003),
    ("trailing segment", "GET", f"{CSRS}/{UUID}/extra", None, {}, 404, 10404),
    # Percent-encodings and ids
    ("percent-encoded slash in the CSR id", "GET", f"{CSRS}/abc%2Fdef", None, {}, 400, 1418),
    ("bad percent-encoding in the CSR id", "GET", f"{CSRS}/%zz", None, {}, 400, 1418),
    ("NUL percent-encoded in the CSR id", "GET", f"{CSRS}/%00", None, {}, 400, 1418),
    ("CSR id too long", "GET", f"{CSRS}/{'a' * 300}", None, {}, 400, 1418),
    ("CSR id of symbols", "GET", f"{CSRS}/!!!", None, {}, 400, 1418),
    ("unknown CSR id", "GET", f"{CSRS}/{UUID}", None, {}, 404, 1419),
    ("DELETE unknown CSR id", "DELETE", f"{CSRS}/{UUID}", None, {}, 404, 1419),
    ("DELETE malformed CSR id", "DELETE", f"{CSRS}/not-a-uuid", None, {}, 400, 1418),
    ("account CSR unknown id", "GET", f"{ACSRS}/{UUID}", None, {}, 404, 1419),
    ("unknown hostname id", "GET", f"{HOSTS}/{UUID}", None, {}, 404, 1436),
    ("DELETE unknown hostname", "DELETE", f"{HOSTS}/{UUID}", None, {}, 404, 1436),
    ("PATCH unknown hostname", "PATCH", f"{HOSTS}/{UUID}", "{}", JSON, 404, 1436),
    ("unknown certificate id", "GET", f"{CERTS}/{HEX32}", None, {}, 400, 1002),
    ("DELETE unknown certificate", "DELETE", f"{CERTS}/{HEX32}", None, {}, 400, 1002),
    ("PATCH unknown certificate", "PATCH", f"{CERTS}/{HEX32}", "{}", JSON, 400, 1002),
    # Query values
    ("page not a number", "GET", f"{CSRS}?page=abc", None, {}, 400, 1400),
    ("per_page not a number", "GET", f"{CSRS}?per_page=x", None, {}, 400, 1400),
    ("per_page negative text", "GET", f"{HOSTS}?per_page=-", None, {}, 400, 1400),
    ("account order unknown", "GET", f"{ACSRS}?order=bogus", None, {}, 400, 1400),
    ("direction unknown", "GET", f"{ACSRS}?direction=up", None, {}, 400, 1400),
    ("hostname id filter with another", "GET", f"{HOSTS}?id={UUID}&hostname=a.acme.io", None, {}, 400, 1438),
    ("hostname ssl filter not 0/1", "GET", f"{HOSTS}?ssl=2", None, {}, 400, 1400),
    ("hostname order unknown", "GET", f"{HOSTS}?order=name", None, {}, 400, 1400),
    ("certificate status unknown", "GET", f"{CERTS}?status=weird", None, {}, 400, 1400),
    ("certificate match unknown", "GET", f"{CERTS}?match=some", None, {}, 400, 1400),
    ("bad percent-encoding in the query", "GET", f"{CSRS}?page=%zz", None, {}, 400, 1400),
    # Authentication header abuse
    ("no credentials", "GET", CSRS, None, {"Authorization": None}, 400, 9106),
    ("Basic authorization", "GET", CSRS, None, {"Authorization": "Basic dXNlcjpwYXNz"}, 400, 6003),
    ("empty bearer token", "GET", CSRS, None, {"Authorization": "Bearer "}, 400, 6003),
    ("email without key", "GET", CSRS, None, {"Authorization": None, "X-Auth-Email": "a@acme.io"}, 400, 6003),
    ("key without email", "GET", CSRS, None, {"Authorization": None, "X-Auth-Key": "abc"}, 400, 6003),
    ("malformed email", "GET", CSRS, None, {"Authorization": None, "X-Auth-Email": "nope", "X-Auth-Key": "0123456789abcdef"}, 400, 6003),
    # Bodies: JSON shape and types on CSR create
    ("empty body", "POST", CSRS, "", JSON, 400, 1400),
    ("not JSON", "POST", CSRS, "country=US", JSON, 400, 1400),
    ("truncated JSON", "POST", CSRS, '{"country": "US"', JSON, 400, 1400),
    ("JSON array", "POST", CSRS, "[]", JSON, 400, 1400),
    ("JSON string", "POST", CSRS, '"csr"', JSON, 400, 1400),
    ("JSON null", "POST", CSRS, "null", JSON, 400, 1400),
    ("JSON number", "POST", CSRS, "42", JSON, 400, 1400),
    ("invalid UTF-8", "POST", CSRS, b'{"country": "\xff\xfe"}', JSON, 400, 1400),
    ("trailing garbage after JSON", "POST", CSRS, csr() + "}", JSON, 400, 1400),
    ("deeply nested JSON", "POST", CSRS, "[" * 5000 + "]" * 5000, JSON, 400, 1400),
    ("country missing", "POST", CSRS, csr(country=None), JSON, 400, 1405),
    ("country a number", "POST", CSRS, csr(country=1), JSON, 400, 1400),
    ("country three letters", "POST", CSRS, csr(country="USA"), JSON, 400, 1405),
    ("state missing", "POST", CSRS, csr(state=None), JSON, 400, 1406),
    ("state an object", "POST", CSRS, csr(state={}), JSON, 400, 1400),
    ("locality missing", "POST", CSRS, csr(locality=None), JSON, 400, 1407),
    ("organization missing", "POST", CSRS, csr(organization=None), JSON, 400, 1408),
    ("organization a list", "POST", CSRS, csr(organization=["Acme"]), JSON, 400, 1400),
    ("common_name missing", "POST", CSRS, csr(common_name=None), JSON, 400, 1409),
    ("common_name 65 characters", "POST", CSRS, csr(common_name="a" * 65), JSON, 400, 1410),
    ("sans missing", "POST", CSRS, csr(sans=None), JSON, 400, 1411),
    ("sans empty", "POST", CSRS, csr(sans=[]), JSON, 400, 1411),
    ("sans a string", "POST", CSRS, csr(sans="app.acme.io"), JSON, 400, 1400),
    ("SAN an IP", "POST", CSRS, csr(sans=["192.0.2.1"]), JSON, 400, 1412),
    ("SAN with a space", "POST", CSRS, csr(sans=["a b.acme.io"]), JSON, 400, 1412),
    ("SAN starting with -", "POST", CSRS, csr(sans=["-a.acme.io"]), JSON, 400, 1412),
    ("SAN 256 characters", "POST", CSRS, csr(sans=["a" * 252 + ".io"]), JSON, 400, 1412),
    ("SAN a number", "POST", CSRS, csr(sans=[5]), JSON, 400, 1400),
    ("SAN non-ASCII", "POST", CSRS, csr(sans=["bücher.acme.io"]), JSON, 400, 1413),
    ("SAN reserved TLD", "POST", CSRS, csr(sans=["app.test"]), JSON, 400, 1414),
    ("SAN example.com", "POST", CSRS, csr(sans=["www.example.com"]), JSON, 400, 1416),
    ("151 SANs", "POST", CSRS, csr(sans=[f"s{i}.acme.io" for i in range(151)]), JSON, 400, 1412),
    ("key_type unknown", "POST", CSRS, csr(key_type="rsa4096"), JSON, 400, 1417),
    ("key_type a number", "POST", CSRS, csr(key_type=2048), JSON, 400, 1400),
    ("account CSR not JSON", "POST", ACSRS, "{", JSON, 400, 1400),
    ("account CSR country missing", "POST", ACSRS, csr(country=None), JSON, 400, 1405),
    # Custom hostnames
    ("hostname body not JSON", "POST", HOSTS, "{", JSON, 400, 1400),
    ("hostname body an array", "POST", HOSTS, "[]", JSON, 400, 1400),
    ("hostname missing", "POST", HOSTS, "{}", JSON, 400, 1407),
    ("hostname a number", "POST", HOSTS, '{"hostname": 5}', JSON, 400, 1400),
    ("hostname with a space", "POST", HOSTS, '{"hostname": "a b.acme.io"}', JSON, 400, 1407),
    ("hostname 256 characters", "POST", HOSTS, json.dumps({"hostname": "a" * 250 + ".acme.io"}), JSON, 400, 1407),
    ("ssl method unknown", "POST", HOSTS, json.dumps({"hostname": "a.acme.io", "ssl": {"method": "carrier-pigeon", "type": "dv"}}), JSON, 400, 1432),
    ("ssl type unknown", "POST", HOSTS, json.dumps({"hostname": "a.acme.io", "ssl": {"method": "txt", "type": "ov"}}), JSON, 400, 1433),
    ("ssl method without type", "POST", HOSTS, json.dumps({"hostname": "a.acme.io", "ssl": {"method": "txt"}}), JSON, 400, 1440),
    ("ssl an array", "POST", HOSTS, json.dumps({"hostname": "a.acme.io", "ssl": []}), JSON, 400, 1400),
    ("ssl bundle_method unknown", "POST", HOSTS, json.dumps({"hostname": "a.acme.io", "ssl": {"method": "txt", "type": "dv", "bundle_method": "x"}}), JSON, 400, 1449),
    ("ssl min_tls_version unknown", "POST", HOSTS, json.dumps({"hostname": "a.acme.io", "ssl": {"method": "txt", "type": "dv", "settings": {"min_tls_version": "2.0"}}}), JSON, 400, 1425),
    ("ssl http2 not on/off", "POST", HOSTS, json.dumps({"hostname": "a.acme.io", "ssl": {"method": "txt", "type": "dv", "settings": {"http2": "yes"}}}), JSON, 400, 1422),
    ("custom certificate garbage", "POST", HOSTS, json.dumps({"hostname": "a.acme.io", "ssl": {"custom_certificate": PEM_GARBAGE, "custom_key": KEY_GARBAGE}}), JSON, 400, 1428),
    ("custom certificate empty", "POST", HOSTS, json.dumps({"hostname": "a.acme.io", "ssl": {"custom_certificate": "", "custom_key": KEY_GARBAGE}}), JSON, 400, 1427),
    ("custom_csr_id unknown", "POST", HOSTS, json.dumps({"hostname": "a.acme.io", "ssl": {"custom_csr_id": UUID, "custom_certificate": PEM_GARBAGE}}), JSON, 404, 1431),
    ("custom_metadata not an object", "POST", HOSTS, json.dumps({"hostname": "a.acme.io", "custom_metadata": "x"}), JSON, 400, 1401),
    ("PATCH hostname malformed id", "PATCH", f"{HOSTS}/{'z' * 40}", "{}", JSON, 400, 1435),
    # Custom certificates
    ("certificate body not JSON", "POST", CERTS, "{", JSON, 400, 1400),
    ("certificate missing", "POST", CERTS, "{}", JSON, 400, 1002),  # said first, before the key it would need
    ("certificate a number", "POST", CERTS, '{"certificate": 1}', JSON, 400, 1400),
    ("certificate garbage PEM", "POST", CERTS, json.dumps({"certificate": PEM_GARBAGE, "private_key": KEY_GARBAGE}), JSON, 400, 2106),
    ("certificate empty", "POST", CERTS, json.dumps({"certificate": "", "private_key": KEY_GARBAGE}), JSON, 400, 1002),
    ("certificate bundle_method unknown", "POST", CERTS, json.dumps({"certificate": PEM_GARBAGE, "bundle_method": "x"}), JSON, 400, 1434),
    ("certificate type unknown", "POST", CERTS, json.dumps({"certificate": PEM_GARBAGE, "type": "x"}), JSON, 400, 1434),
    ("prioritize not JSON", "PUT", f"{CERTS}/prioritize", "{", JSON, 400, 1400),
    ("prioritize without certificates", "PUT", f"{CERTS}/prioritize", "{}", JSON, 400, 1400),
    ("prioritize certificates a string", "PUT", f"{CERTS}/prioritize", '{"certificates": "x"}', JSON, 400, 1400),
    # Emulator routes
    ("CA sign garbage", "POST", "/_emulator/ca/sign", "not a csr", {}, 400, 1400),
    ("CA sign days not a number", "POST", "/_emulator/ca/sign", '{"csr": "x", "days": "ten"}', JSON, 400, 1400),
    ("reset body not JSON", "POST", "/_emulator/reset", "{", JSON, 400, 1400),
    ("reset zone_id a number", "POST", "/_emulator/reset", '{"zone_id": 5}', JSON, 400, 1400),
    ("seed not JSON", "PUT", "/_emulator/state", "{", JSON, 400, 1400),
    ("seed an array", "PUT", "/_emulator/state", "[]", JSON, 400, 1400),
    ("seed CSR without key", "PUT", "/_emulator/state", json.dumps({"custom_csrs": [{"id": UUID}]}), JSON, 400, 1400),
    ("state include_private_keys not boolean", "GET", "/_emulator/state?include_private_keys=maybe", None, {}, 400, 1400),
]


def raw_request(emulator, data, timeout=10):
    """Bytes on a fresh socket; (status, parsed JSON or None)."""
    s = socket.create_connection((emulator.host, emulator.port), timeout=timeout)
    try:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        chunks = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks += chunk
    finally:
        s.close()
    head, _, body = chunks.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.1 ") else 0
    try:
        return status, json.loads(body)
    except ValueError:
        return status, None


def http_bytes(method, path, body, headers):
    all_headers = {"Host": "127.0.0.1", "Authorization": "Bearer test"}
    for k, v in headers.items():
        if v is None:
            all_headers.pop(k, None)
        else:
            all_headers[k] = v
    data = body.encode() if isinstance(body, str) else (body or b"")
    if body is not None:
        all_headers["Content-Length"] = str(len(data))
    lines = [f"{method} {path} HTTP/1.1"] + [f"{k}: {v}" for k, v in all_headers.items()] + ["Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


# Requests that need raw bytes: sizes and header abuse (status, code).
RAW_ROWS = [
    ("body over --max-body", http_bytes("POST", CSRS, "x" * (1024 * 1024 + 1), JSON), 413, 9413),
    ("headers over --max-header-bytes", http_bytes("GET", CSRS, None, {"X-Big": "a" * 20000}), 431, 1400),
    ("Content-Length not a number", f"POST {CSRS} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n".encode(), 400, 1400),
    ("body shorter than Content-Length", f"POST {CSRS} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\nContent-Length: 50\r\n\r\n{{}}".encode(), 400, 1400),
    ("header without a colon", f"GET {CSRS} HTTP/1.1\r\nHost: 127.0.0.1\r\nnot a header\r\n\r\n".encode(), 400, 1400),
    ("bad chunked encoding", f"POST {CSRS} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".encode(), 400, 1400),
]


def snapshot(emulator):
    status, body = emulator.request("GET", "/_emulator/state?include_private_keys=true")
    assert status == 200, (status, body)
    return body["result"]


def envelope_problem(body, code):
    if not isinstance(body, dict):
        return "no JSON envelope"
    if body.get("success") is not False or body.get("result", "missing") is not None:
        return "not a failure envelope"
    errors = body.get("errors")
    if not isinstance(errors, list) or not errors or not isinstance(errors[0], dict):
        return "no errors"
    if errors[0].get("code") != code:
        return f"code {errors[0].get('code')} (message {errors[0].get('message')!r})"
    return None


def main():
    discover = "--discover" in sys.argv
    work = os.environ.get("TMPDIR", "/tmp")
    import tempfile
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        emulator = launch.Emulator(os.path.join(tmp, "db.sqlite3"), ["--key-pool", "0", "--log-level", "warn"])
        try:
            # Something to protect: one CSR the malformed requests must not touch.
            status, body = emulator.request("POST", CSRS, json.loads(csr()))
            assert status == 201, body
            before = snapshot(emulator)
            failures = []
            results = []
            for name, method, path, body, headers, want_status, want_code in ROWS:
                status, answer = raw_request(emulator, http_bytes(method, path, body, dict(JSON if body else {}, **headers)))
                results.append((name, status, answer, want_status, want_code))
            for name, data, want_status, want_code in RAW_ROWS:
                status, answer = raw_request(emulator, data)
                results.append((name, status, answer, want_status, want_code))
            for name, status, answer, want_status, want_code in results:
                problem = None
                if status >= 500 or status == 0:
                    problem = f"status {status}"
                elif status != want_status:
                    problem = f"status {status}, expected {want_status}"
                else:
                    problem = envelope_problem(answer, want_code)
                if discover:
                    code = answer.get("errors", [{}])[0].get("code") if isinstance(answer, dict) and answer.get("errors") else None
                    print(f"{'OK ' if not problem else 'XX '} {status} {code}  {name}")
                elif problem:
                    failures.append(f"{name}: {problem}")
            if emulator.process.poll() is not None:
                failures.append(f"the server exited ({emulator.process.returncode})")
            else:
                after = snapshot(emulator)
                if after != before:
                    failures.append("the database changed")
            print(f"{len(results)} malformed requests, {len(failures)} failures")
            for f in failures:
                print("FAIL", f)
            if emulator.process.poll() is None:
                code = emulator.terminate()
                if code != 0:
                    failures.append(f"exit code {code} after SIGTERM")
            log = emulator.log_text()
            if "level=error" in log:
                failures.append("error lines in the log:\n" + "\n".join(l for l in log.splitlines() if "level=error" in l))
            if failures and not discover:
                print("\n".join(failures[-1:]))
                sys.exit(1)
        finally:
            if emulator.process.poll() is None:
                emulator.kill()


if __name__ == "__main__":
    main()
