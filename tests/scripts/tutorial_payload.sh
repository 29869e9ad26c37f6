# Sourced by the tutorial tests: Step 1 of Cloudflare's Custom CSR tutorial, the CSR payload built
# in the shell as the tutorial builds it, kept once so the scripts that type its later steps share
# it. The tutorial's SANs are example.com names, which the API itself refuses with 1416, so a
# registrable domain stands in.
request_body=$(< <(cat <<EOF_BODY
{
  "country": "US",
  "state": "MA",
  "locality": "Boston",
  "organization": "City of Boston",
  "organizational_unit": "Championship Parade Detail",
  "common_name": "app.acme.io",
  "sans": [
    "app.acme.io",
    "www.acme.io",
    "blog.acme.io",
    "acme.io"
  ],
  "key_type" : "p256v1"
}
EOF_BODY
))
