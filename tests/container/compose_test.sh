#!/usr/bin/env bash
# Compose test, run by run_container_test.sh on the image it built: README's compose snippet (the
# csr-emulator service and its volume exactly as shown there, with the test image's tag) in a
# stack with Debian's podman-compose. A stand-in for "your-app" creates a CSR through
# $CLOUDFLARE_BASE_URL (http://csr-emulator:8790/client/v4) once the emulator is healthy.
#
#   bash tests/container/compose_test.sh IMAGE BASE_IMAGE     (as root)
set -euo pipefail

IMAGE=$1
APP_IMAGE=$2
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/csr-compose-test.XXXXXX")
PROJECT="csr-compose-test-$$"
say() { printf '[compose-test] %s\n' "$*"; }
fail() {
    printf '[compose-test] FAIL: %s\n' "$*" >&2
    exit 1
}
compose() { (cd "$WORK" && podman-compose -p "$PROJECT" -f compose.yaml "$@"); }
cleanup() {
    local status=$?
    set +e
    compose down -v >/dev/null 2>&1
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT

# podman 4.3 on Debian 12 networks with CNI: service names resolve only with the dnsname plugin.
missing=()
command -v podman-compose >/dev/null || missing+=(podman-compose)
[ -x /usr/lib/cni/dnsname ] || missing+=(golang-github-containernetworking-plugin-dnsname)
if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# README's snippet, verbatim but for the image tag and the stand-in app.
sed -n '/In your own stack:/,/^```$/p' "$ROOT/README.md" | sed '1,/^```yaml$/d; /^```$/d' >"$WORK/readme-snippet.yaml"
grep -q 'CLOUDFLARE_BASE_URL: http://csr-emulator:8790/client/v4' "$WORK/readme-snippet.yaml" ||
    fail "README's compose snippet not found"
# The app calls it by service name: a Host the emulator answers only when allowed.
grep -q 'CSR_EMULATOR_ALLOWED_HOSTS:.*csr-emulator' "$WORK/readme-snippet.yaml" ||
    fail "README's compose snippet does not set CSR_EMULATOR_ALLOWED_HOSTS: csr-emulator (the app's Host would get 421)"
sed -e "s|image: csr-emulator:latest .*|image: $IMAGE|" \
    -e "s|image: your-app|image: $APP_IMAGE\n    volumes: [./app.sh:/app.sh:ro]\n    command: [bash, /app.sh]|" \
    "$WORK/readme-snippet.yaml" >"$WORK/compose.yaml"

# The app: bash alone (the base image has no curl), over /dev/tcp, retrying until the emulator
# answers (podman-compose starts services in order but does not wait for healthy).
cat >"$WORK/app.sh" <<'APP'
set -u
rest=${CLOUDFLARE_BASE_URL#http://}
hostport=${rest%%/*}
prefix=/${rest#*/}
body='{"country":"US","state":"MA","locality":"Boston","organization":"Acme","common_name":"app.acme.io","sans":["app.acme.io"],"key_type":"p256v1"}'
for _ in $(seq 1 60); do
    if exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}" 2>/dev/null; then
        printf 'POST %s/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_csrs HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer test\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
            "$prefix" "$hostport" "${#body}" "$body" >&3
        answer=$(cat <&3)
        echo "$answer" | head -1
        case $answer in *'"success":true'*) echo "app: CSR created through $CLOUDFLARE_BASE_URL"; exit 0 ;; esac
    fi
    sleep 0.5  # the app container retries until the emulator is reachable on the compose network (no readiness signal there)
done
echo "app: no CSR created through $CLOUDFLARE_BASE_URL"
exit 1
APP

say "podman-compose $(podman-compose version 2>/dev/null | awk '/podman-compose/ { print $NF; exit }'): up"
compose up -d >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; fail "podman-compose up failed"; }
emulator=$(podman ps -a --filter "label=io.podman.compose.project=$PROJECT" --filter "label=com.docker.compose.service=csr-emulator" --format '{{.Names}}' | head -1)
app=$(podman ps -a --filter "label=io.podman.compose.project=$PROJECT" --filter "label=com.docker.compose.service=app" --format '{{.Names}}' | head -1)
[ -n "$emulator" ] && [ -n "$app" ] || { cat "$WORK/up.log" >&2; fail "services not created"; }

for _ in $(seq 1 300); do
    podman healthcheck run "$emulator" >/dev/null 2>&1 && break
    sleep 0.1  # polling: podman-compose has no "wait until healthy"
done
podman healthcheck run "$emulator" >/dev/null 2>&1 || { podman logs "$emulator" >&2; fail "$emulator not healthy"; }
say "$emulator healthy"

code=$(podman wait "$app")
podman logs "$app"
[ "$code" = 0 ] || { podman logs "$emulator" >&2; fail "the app service could not create a CSR (exit $code)"; }
say "the app service created a CSR through http://csr-emulator:8790/client/v4"
compose down -v >/dev/null 2>&1 || fail "podman-compose down failed"
say "down; PASS"
