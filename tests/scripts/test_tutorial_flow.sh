#!/usr/bin/env bash
# Cloudflare's Custom CSR tutorial from the first step to the last, typed as a user types it:
# the CSR comes out with curl | jq | perl into csr.txt, the emulator's test CA stands in for the
# customer's CA (through the CLI and through HTTP), the certificate goes back in a shell variable
# with its newlines escaped the tutorial's way, it backs two custom hostnames, each then served over
# HTTPS by the emulator's edge in front of an echo origin, and the CSR can be deleted only once no
# hostname uses it.
source "$(dirname "$0")/emulator.sh"
# The SaaS provider's origin behind the edge: it echoes each request it gets as JSON.
mkfifo "$WORK/origin_stdout"
/usr/bin/python3 "$(dirname "$0")/../edge/edge_fixture.py" >"$WORK/origin_stdout" &
origin_pid=$!
trap 'kill "$origin_pid" 2>/dev/null || true; cleanup' EXIT
read -r -t 20 origin_port <"$WORK/origin_stdout" || fail "the echo origin did not start"
start_emulator --edge-listen 127.0.0.1:0 --edge-origin-port "$origin_port" --edge-resolve app.saas.io:127.0.0.1
edge_port=${EDGE_HTTPS##*:}
cd "$WORK"

zone_id=023e105f4ecef8ad9ca31a8372d0c353
email=user@acme.io
key=0123456789abcdef0123456789abcdef01234
api="$EMULATOR/client/v4/zones/$zone_id"

# call METHOD PATH [curl args...]: the body lands in response.json, the headers in headers.txt,
# the HTTP status on stdout.
call() {
  local method=$1 path=$2
  shift 2
  curl -s -o response.json -D headers.txt -w '%{http_code}' -X "$method" "$api/$path" \
    -H "X-Auth-Email: $email" -H "X-Auth-Key: $key" "$@"
}
expect_status() { [[ "$1" == "$2" ]] || fail "$3: HTTP $1, expected $2: $(cat response.json)"; }
expect_error() {  # CODE WHAT: the failure envelope with that code
  [[ "$(jq -r '.success, .result, .errors[0].code' response.json | paste -sd' ')" == "false null $1" ]] \
    || fail "$2: expected error $1: $(cat response.json)"
}

# Step 1 - Build the CSR payload (tutorial_payload.sh: the tutorial's heredoc).
source "$(dirname "$0")/tutorial_payload.sh"

# Step 2 - Generate a CSR; the response is kept (tee) for the CSR id the upload needs.
curl -sXPOST "$api/custom_csrs" \
    -H "X-Auth-Email: $email" -H "X-Auth-Key: $key"\
    -H 'Content-Type: application/json' -d "$request_body" | tee csr_response.json | jq .result.csr |\
    perl -npe s'/\\n/\n/g; s/"//g' > csr.txt
csr_id=$(jq -r .result.id csr_response.json)
[[ "$csr_id" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] || fail "no CSR id: $(cat csr_response.json)"
verify=$(openssl req -in csr.txt -noout -verify 2>&1) || fail "openssl req -verify exited non-zero: $verify"
# OpenSSL 3.0 exits 0 even for a bad signature; its verdict is in the text.
grep -q "verify OK" <<<"$verify" || fail "openssl did not verify the CSR: $verify"

# Step 3 - The customer's CA signs the CSR: here the emulator's test CA, once from the command
# line on the server's own database, once over HTTP.
curl -s "$EMULATOR/_emulator/ca/root.pem" > root.pem
curl -s "$EMULATOR/_emulator/ca/intermediate.pem" > intermediate.pem
"$CSR_EMULATOR_BINARY" ca root --db "$WORK/emulator.sqlite3" > cli_root.pem
cmp -s root.pem cli_root.pem || fail "'ca root' and GET /_emulator/ca/root.pem differ"
"$CSR_EMULATOR_BINARY" ca sign --csr csr.txt --db "$WORK/emulator.sqlite3" > cli_chain.pem \
  || fail "csr-emulator ca sign failed"
status=$(curl -s -o app_example_com.pem -w '%{http_code}' --data-binary @csr.txt "$EMULATOR/_emulator/ca/sign")
[[ "$status" == 200 ]] || fail "POST /_emulator/ca/sign answered $status: $(cat app_example_com.pem)"

csr_key=$(openssl req -in csr.txt -noout -pubkey)
for chain in app_example_com.pem cli_chain.pem; do
  [[ "$(grep -c -- '-----BEGIN CERTIFICATE-----' "$chain")" == 2 ]] || fail "$chain is not leaf + intermediate"
  openssl x509 -in "$chain" -out "leaf_$chain"  # the first certificate: the leaf
  awk '/BEGIN CERT/{n++} n==2' "$chain" > "issuer_$chain"
  cmp -s "issuer_$chain" intermediate.pem || fail "$chain: second certificate is not the test intermediate"
  out=$(openssl verify -CAfile root.pem -untrusted intermediate.pem "leaf_$chain" 2>&1) \
    || fail "$chain does not verify to the test root: $out"
  [[ "$out" == "leaf_$chain: OK" ]] || fail "openssl verify: $out"
  # Untrusted by anything but the test root: a chain verified against the intermediate alone fails.
  if openssl verify -CAfile intermediate.pem "leaf_$chain" >/dev/null 2>&1; then fail "$chain verifies without the root"; fi
  [[ "$(openssl x509 -in "leaf_$chain" -noout -pubkey)" == "$csr_key" ]] || fail "$chain: leaf key is not the CSR's key"
  openssl x509 -in "leaf_$chain" -noout -subject | grep -q "CN = app.acme.io" || fail "$chain: wrong subject"
  [[ "$(openssl x509 -in "leaf_$chain" -noout -ext subjectAltName | tail -1 | tr -d ' ')" == \
     "DNS:app.acme.io,DNS:www.acme.io,DNS:blog.acme.io,DNS:acme.io" ]] || fail "$chain: wrong SANs"
  # 90 days by default.
  openssl x509 -in "leaf_$chain" -noout -checkend $((89 * 86400)) >/dev/null || fail "$chain expires within 89 days"
  if openssl x509 -in "leaf_$chain" -noout -checkend $((91 * 86400)) >/dev/null; then fail "$chain outlives 90 days"; fi
done
cmp -s leaf_app_example_com.pem leaf_cli_chain.pem && fail "the CLI and HTTP handed out the same certificate"

# Step 4 - Upload the certificate: newlines escaped into a shell variable, exactly as the tutorial.
MYCERT="$(cat app_example_com.pem|perl -pe 's/\r?\n/\\n/'|sed -e 's/..$//')"
[[ "$MYCERT" != *$'\n'* && "$MYCERT" == '-----BEGIN CERTIFICATE-----\n'*'-----END CERTIFICATE-----' ]] \
  || fail "MYCERT is not one line of escaped PEM"
request_body=$(< <(cat <<EOF
{
  "hostname": "app.acme.io",
  "ssl": {
    "custom_csr_id": "$csr_id",
    "custom_certificate": "$MYCERT"
  }
}
EOF
))
status=$(call POST custom_hostnames -H 'Content-Type: application/json' -d "$request_body")
expect_status "$status" 201 "create custom hostname app.acme.io"
first_id=$(jq -r .result.id response.json)
serial=$(openssl x509 -in leaf_app_example_com.pem -noout -serial | cut -d= -f2)
serial_decimal=$(perl -MMath::BigInt -e 'print Math::BigInt->from_hex($ARGV[0])' "$serial")
jq -e --arg csr "$csr_id" --arg serial "$serial_decimal" '
  .success == true and .result.hostname == "app.acme.io" and .result.status == "active"
  and .result.ssl.status == "active" and .result.ssl.custom_csr_id == $csr
  and .result.ssl.serial_number == $serial and .result.ssl.signature == "ECDSAWithSHA256"
  and (.result.ssl.issuer | test("csr-emulator Test Intermediate CA"))
  and .result.ssl.hosts == ["app.acme.io", "www.acme.io", "blog.acme.io", "acme.io"]
  and (.result.ssl | has("custom_key") | not)' response.json >/dev/null \
  || fail "unexpected custom hostname: $(cat response.json)"
grep -q "PRIVATE KEY" response.json && fail "a private key was echoed"

# "If you intend to use the certificate with multiple hostnames, make multiple API calls
# replacing the hostname field."
status=$(call POST custom_hostnames -H 'Content-Type: application/json' -d "${request_body/app.acme.io/www.acme.io}")
expect_status "$status" 201 "create custom hostname www.acme.io with the same certificate"
second_id=$(jq -r .result.id response.json)
jq -e --arg csr "$csr_id" '.result.hostname == "www.acme.io" and .result.ssl.custom_csr_id == $csr' response.json >/dev/null \
  || fail "unexpected second hostname: $(cat response.json)"
# Through the edge: the zone's fallback origin is the SaaS app; each hostname answers over HTTPS
# with the uploaded certificate (over the CSR's key) and reaches the origin with its Host and
# Cloudflare's headers.
status=$(call PUT custom_hostnames/fallback_origin -H 'Content-Type: application/json' -d '{"origin": "app.saas.io"}')
expect_status "$status" 200 "set the fallback origin"
# (--validation off, as this suite runs: active in the PUT answer; in auto mode pending_deployment first)
jq -e '.result.origin == "app.saas.io" and .result.status == "active"' response.json >/dev/null \
  || fail "unexpected fallback origin: $(cat response.json)"
fallback_origin_active() {
  call GET custom_hostnames/fallback_origin >/dev/null && [[ "$(jq -r .result.status response.json)" == active ]]
}
eventually "fallback origin active" fallback_origin_active  # polled until active, as a SaaS provider's code does
jq -e '.result.status == "active"' response.json >/dev/null || fail "fallback origin not active: $(cat response.json)"
served_leaf() {  # NAME: the leaf certificate the edge presents for that SNI (empty if refused)
  openssl s_client -connect "127.0.0.1:$edge_port" -servername "$1" </dev/null 2>/dev/null | openssl x509 2>/dev/null || true
}
through_edge() {  # NAME PATH: curl through the edge, trusting only the test root
  curl -s -o edge.json -D edge_headers.txt -w '%{http_code}' --resolve "$1:$edge_port:127.0.0.1" \
    --cacert root.pem "https://$1:$edge_port$2"
}
for host in app.acme.io www.acme.io; do
  status=$(through_edge "$host" "/tutorial?step=5") || true
  [[ "$status" == 200 ]] || fail "https://$host through the edge: HTTP $status $(cat edge.json 2>/dev/null)"
  ray=$(grep -i '^cf-ray:' edge_headers.txt | cut -d' ' -f2 | tr -d '\r')
  jq -e --arg host "$host:$edge_port" --arg ray "$ray" '
    .method == "GET" and .path == "/tutorial?step=5"
    and (.headers | map({key: (.[0] | ascii_downcase), value: .[1]}) | from_entries
         | .host == $host and .["x-forwarded-proto"] == "https" and .["cf-connecting-ip"] == "127.0.0.1"
           and .["cf-ray"] == $ray and .["cf-visitor"] == "{\"scheme\":\"https\"}")' edge.json >/dev/null \
    || fail "the origin saw the wrong request for $host (cf-ray $ray): $(cat edge.json)"
  served_leaf "$host" > "served_$host.pem"
  cmp -s "served_$host.pem" leaf_app_example_com.pem || fail "the edge does not serve the uploaded certificate for $host"
  [[ "$(openssl x509 -in "served_$host.pem" -noout -pubkey)" == "$csr_key" ]] || fail "served key for $host is not the CSR's"
done
# A name the emulator does not know fails the handshake.
[[ -z "$(served_leaf shop.acme.io)" ]] || fail "the edge served a certificate for an unknown hostname"

# A hostname the certificate does not cover is refused.
status=$(call POST custom_hostnames -H 'Content-Type: application/json' -d "${request_body/app.acme.io/shop.acme.io}")
expect_status "$status" 400 "a hostname outside the certificate"
expect_error 1446 "a hostname outside the certificate"

# "Cloudflare only accepts publicly trusted certificates": a self-signed one is refused.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout self.key -out self.pem -days 30 \
  -subj /CN=blog.acme.io -addext subjectAltName=DNS:blog.acme.io \
  -addext basicConstraints=critical,CA:FALSE 2>/dev/null
SELF="$(cat self.pem|perl -pe 's/\r?\n/\\n/'|sed -e 's/..$//')"
status=$(call POST custom_hostnames -H 'Content-Type: application/json' \
  -d "{\"hostname\": \"blog.acme.io\", \"ssl\": {\"custom_csr_id\": \"$csr_id\", \"custom_certificate\": \"$SELF\"}}")
expect_status "$status" 400 "self-signed certificate"
expect_error 1441 "self-signed certificate"

# The certificate the CLI signed is a renewal for the same CSR: it replaces the first one.
CLICERT="$(cat cli_chain.pem|perl -pe 's/\r?\n/\\n/'|sed -e 's/..$//')"
status=$(call PATCH "custom_hostnames/$first_id" -H 'Content-Type: application/json' \
  -d "{\"ssl\": {\"custom_csr_id\": \"$csr_id\", \"custom_certificate\": \"$CLICERT\"}}")
expect_status "$status" 202 "renew app.acme.io with the CLI's certificate"
cli_serial=$(perl -MMath::BigInt -e 'print Math::BigInt->from_hex($ARGV[0])' \
  "$(openssl x509 -in leaf_cli_chain.pem -noout -serial | cut -d= -f2)")
jq -e --arg serial "$cli_serial" '.result.ssl.serial_number == $serial' response.json >/dev/null \
  || fail "the renewal did not replace the certificate: $(cat response.json)"
# The edge serves the renewal from the next handshake on.
served_leaf app.acme.io > served_renewed.pem
cmp -s served_renewed.pem leaf_cli_chain.pem || fail "the edge does not serve the renewed certificate"

# Delete a CSR: refused while a certificate uses its key, and the refusal says not to retry.
status=$(call DELETE "custom_csrs/$csr_id")
expect_status "$status" 409 "delete the CSR in use"
expect_error 1420 "delete the CSR in use"
grep -qi '^x-should-retry: false' headers.txt || fail "no x-should-retry: false on the 1420 refusal: $(cat headers.txt)"

status=$(call DELETE "custom_hostnames/$first_id")
expect_status "$status" 200 "delete app.acme.io"
jq -e --arg id "$first_id" '.id == $id and .result.id == $id and .success == true' response.json >/dev/null \
  || fail "unexpected delete answer: $(cat response.json)"
# A deleted hostname is no longer served; the other one still is.
[[ -z "$(served_leaf app.acme.io)" ]] || fail "the edge still serves the deleted app.acme.io"
[[ "$(through_edge www.acme.io /)" == 200 ]] || fail "www.acme.io stopped answering through the edge"
# www.acme.io still uses the key.
status=$(call DELETE "custom_csrs/$csr_id")
expect_status "$status" 409 "delete the CSR still used by www.acme.io"
expect_error 1420 "delete the CSR still used by www.acme.io"

status=$(call DELETE "custom_hostnames/$second_id")
expect_status "$status" 200 "delete www.acme.io"
status=$(call GET custom_hostnames)
expect_status "$status" 200 "list custom hostnames"
jq -e '.result == [] and .result_info.total_count == 0' response.json >/dev/null || fail "hostnames left: $(cat response.json)"

status=$(call DELETE "custom_csrs/$csr_id")
expect_status "$status" 200 "delete the CSR no longer in use"
jq -e --arg id "$csr_id" '.success == true and .result.id == $id' response.json >/dev/null || fail "$(cat response.json)"
status=$(call GET "custom_csrs/$csr_id")
expect_status "$status" 404 "get the deleted CSR"
expect_error 1419 "get the deleted CSR"
echo "tutorial flow: OK"
