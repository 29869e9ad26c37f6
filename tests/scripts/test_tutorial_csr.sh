#!/usr/bin/env bash
# Steps 1 and 2 of Cloudflare's Custom CSR tutorial, typed as a user types them, against the
# emulator: a JSON body built in the shell, curl -sXPOST, jq .result.csr | perl into csr.txt,
# then openssl verifies the CSR.
source "$(dirname "$0")/emulator.sh"
start_emulator
cd "$WORK"

zone_id=023e105f4ecef8ad9ca31a8372d0c353
email=user@acme.io
key=0123456789abcdef0123456789abcdef01234

# Step 1 - Build the CSR payload (tutorial_payload.sh: the tutorial's heredoc, shared with the
# whole-flow test).
source "$(dirname "$0")/tutorial_payload.sh"

# Step 2 - Generate a CSR, newlines restored the tutorial's way.
curl -sXPOST "$EMULATOR/client/v4/zones/$zone_id/custom_csrs" \
    -H "X-Auth-Email: $email" -H "X-Auth-Key: $key"\
    -H 'Content-Type: application/json' -d "$request_body" | jq .result.csr |\
    perl -npe s'/\\n/\n/g; s/"//g' > csr.txt

head -1 csr.txt | grep -qx -- '-----BEGIN CERTIFICATE REQUEST-----' || fail "csr.txt does not start with the PEM header: $(head -2 csr.txt)"
verify=$(openssl req -in csr.txt -noout -verify 2>&1) || fail "openssl req -verify exited non-zero: $verify"
# OpenSSL 3.0 exits 0 even for a bad signature; its verdict is in the text.
grep -q "verify OK" <<<"$verify" || fail "openssl did not verify the CSR: $verify"
text=$(openssl req -in csr.txt -noout -text)
grep -q "Subject: C = US, ST = MA, L = Boston, O = City of Boston, OU = Championship Parade Detail, CN = app.acme.io" <<<"$text" \
  || fail "unexpected subject: $(grep Subject: <<<"$text")"
grep -q "DNS:app.acme.io, DNS:www.acme.io, DNS:blog.acme.io, DNS:acme.io" <<<"$text" || fail "unexpected SANs"
grep -q "NIST CURVE: P-256" <<<"$text" || fail "not a P-256 key"

# The CSR listed and fetched is the same one, and the id from the list works for delete.
id=$(curl -s "$EMULATOR/client/v4/zones/$zone_id/custom_csrs" -H "X-Auth-Email: $email" -H "X-Auth-Key: $key" | jq -r '.result[0].id')
[[ "$(curl -s "$EMULATOR/client/v4/zones/$zone_id/custom_csrs/$id" -H "Authorization: Bearer t" | jq -r .result.csr)" == "$(cat csr.txt)" ]] \
  || fail "GET returned a different CSR"
status=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$EMULATOR/client/v4/zones/$zone_id/custom_csrs/$id" -H "Authorization: Bearer t")
[[ "$status" == 200 ]] || fail "delete answered $status"
echo "tutorial CSR steps: OK"
