#!/usr/bin/env bash
# Container test: builds the Docker image with rootful podman (no Docker engine needed), runs it
# with a named volume, waits for the healthcheck, creates a CSR through the API, recreates the
# container on the same volume and checks the CSR survived, checks the server runs as non-root,
# stops it with SIGTERM and checks a clean exit, then runs README's compose snippet with
# podman-compose (tests/container/compose_test.sh). Prints the build time, the image size and the
# time from `podman run` to healthy.
#
#   bash tests/container/run_container_test.sh        (as root, from anywhere)
#
# It installs podman, runc and debootstrap with apt when missing. No registry is needed: the Debian
# base image is made locally with debootstrap from the mirror this machine's apt uses, and kept as
# localhost/debian:bookworm for later runs. Everything else it creates (containers, the image it
# built, volumes, temporary files) is removed on exit.
#
# Environment (all optional):
#   CSR_CONTAINER_BASE       base image to build from (default localhost/debian:bookworm)
#   CSR_DEBIAN_MIRROR        Debian mirror for debootstrap (default: from /etc/apt sources)
#   CSR_DEBIAN_SECURITY      Debian security mirror written into the base image's apt sources
#   CSR_HEALTH_TIMEOUT       seconds to wait for healthy (default 60)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

BASE_IMAGE=${CSR_CONTAINER_BASE:-localhost/debian:bookworm}
# Bump when the base recipe below changes: a cached base with another recipe is rebuilt.
BASE_RECIPE=1
SUITE=bookworm
HEALTH_TIMEOUT=${CSR_HEALTH_TIMEOUT:-60}
ZONE=023e105f4ecef8ad9ca31a8372d0c353

RUN_ID="$(date +%Y%m%d%H%M%S)-$$"
IMAGE="localhost/csr-emulator-test:$RUN_ID"
VOLUME="csr-emulator-test-data-$RUN_ID"
CONTAINERS=()
WORK=$(mktemp -d "${TMPDIR:-/tmp}/csr-container-test.XXXXXX")
ROOTFS=""

export CONTAINERS_CONF="$ROOT/docker/containers.conf"

say() { printf '[container-test] %s\n' "$*"; }
fail() {
    printf '[container-test] FAIL: %s\n' "$*" >&2
    exit 1
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

cleanup() {
    local status=$?
    set +e
    for c in "${CONTAINERS[@]}"; do
        podman rm -f -t 5 "$c" >/dev/null 2>&1
    done
    podman volume rm -f "$VOLUME" >/dev/null 2>&1
    podman rmi -f "$IMAGE" >/dev/null 2>&1
    if [ -n "$ROOTFS" ] && [ -d "$ROOTFS" ]; then
        # debootstrap mounts proc/sys inside the target; never delete through a mount.
        grep -o " $ROOTFS/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
        rm -rf --one-file-system "$ROOTFS"
    fi
    rm -rf "$WORK"
    if [ "$status" -eq 0 ]; then
        say "PASS"
    else
        say "FAILED (exit $status)"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ "$(id -u)" -eq 0 ] || fail "run as root (rootful podman, debootstrap)"

# --- tools ------------------------------------------------------------------------------------
install_missing() {
    local missing=()
    command -v podman >/dev/null || missing+=(podman)
    command -v runc >/dev/null || missing+=(runc)
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
    command -v curl >/dev/null || missing+=(curl)
    command -v jq >/dev/null || missing+=(jq)
    if [ "${#missing[@]}" -gt 0 ]; then
        say "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            podman runc debootstrap debian-archive-keyring curl jq ca-certificates >/dev/null
    fi
}
install_missing
say "$(podman --version), runc $(runc --version | awk 'NR==1 { print $3 }'), CONTAINERS_CONF=$CONTAINERS_CONF"

# --- Debian base image ------------------------------------------------------------------------
# Prints the first URI of an apt source (one-line or deb822 format) that carries suite $1.
apt_source_uri() {
    local suite=$1
    local files=()
    [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
    for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && files+=("$f")
    done
    [ "${#files[@]}" -gt 0 ] || return 0
    awk -v suite="$suite" '
        function has_suite(list,   n, i, parts) {
            n = split(list, parts, /[ \t]+/)
            for (i = 1; i <= n; i++) if (parts[i] == suite) return 1
            return 0
        }
        function flush() {
            if (done) return
            if (types ~ /(^|[ \t])deb([ \t]|$)/ && has_suite(suites) && uris != "") {
                split(uris, u, /[ \t]+/); print u[1]; done = 1; exit
            }
            types = ""; uris = ""; suites = ""
        }
        FNR == 1 { flush() }
        /^[ \t]*#/ { next }
        /^deb[ \t]/ {                       # one-line format: deb [opts] URI SUITE COMPONENTS
            line = $0; sub(/\[[^]]*\]/, "", line)
            n = split(line, f, /[ \t]+/)
            if (n >= 3 && f[3] == suite) { print f[2]; done = 1; exit }
            next
        }
        /^[ \t]*$/ { flush(); next }
        tolower($1) == "types:"  { sub(/^[^:]*:[ \t]*/, ""); types = $0;  next }
        tolower($1) == "uris:"   { sub(/^[^:]*:[ \t]*/, ""); uris = $0;   next }
        tolower($1) == "suites:" { sub(/^[^:]*:[ \t]*/, ""); suites = $0; next }
        END { flush() }
    ' "${files[@]}" | sed 's:/*$::'
}

usable_uri() { [[ "$1" =~ ^(https?|file):// ]]; }

build_base_image() {
    local mirror security
    # The mirrors this machine's apt already uses (reachable from here, unlike a host written in
    # the script); a variable overrides them.
    mirror=${CSR_DEBIAN_MIRROR:-$(apt_source_uri "$SUITE")}
    usable_uri "$mirror" ||
        fail "no Debian $SUITE source in /etc/apt/sources.list{,.d/*.list,.d/*.sources}: set CSR_DEBIAN_MIRROR"
    security=${CSR_DEBIAN_SECURITY:-$(apt_source_uri "$SUITE-security")}
    usable_uri "$security" ||
        fail "no Debian $SUITE-security source in /etc/apt: set CSR_DEBIAN_SECURITY"

    ROOTFS=$(mktemp -d /var/tmp/csr-emulator-rootfs.XXXXXX)
    say "building base image $BASE_IMAGE: debootstrap --variant=minbase $SUITE from $mirror"
    local t0; t0=$(now)
    if ! debootstrap --variant=minbase "$SUITE" "$ROOTFS" "$mirror" >"$WORK/debootstrap.log" 2>&1; then
        tail -n 30 "$WORK/debootstrap.log" >&2
        fail "debootstrap failed"
    fi

    # Make it match debian:bookworm-slim: the same apt sources (with updates and security), no
    # documentation, manuals or locales, no package caches or lists.
    rm -f "$ROOTFS/etc/apt/sources.list"
    cat >"$ROOTFS/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
    cat >"$ROOTFS/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
    (
        cd "$ROOTFS"
        find usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete
        find usr/share/doc -mindepth 1 -type d -empty -delete
        rm -rf usr/share/man/* usr/share/groff/* usr/share/info/* usr/share/lintian/* \
            usr/share/linda/* usr/share/locale/*
        rm -rf var/cache/apt/archives/*.deb var/cache/apt/*.bin var/lib/apt/lists/* \
            var/log/*.log var/log/apt/* var/cache/debconf/*-old
    )

    tar --numeric-owner --xattrs -C "$ROOTFS" -c . |
        podman import \
            --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
            --change 'CMD ["bash"]' \
            --change "LABEL io.csr-emulator.base-recipe=$BASE_RECIPE" \
            --message "debootstrap --variant=minbase $SUITE $mirror" \
            - "$BASE_IMAGE" >/dev/null
    rm -rf --one-file-system "$ROOTFS"
    ROOTFS=""
    say "base image built in $(elapsed "$t0" "$(now)") s"
}

base_recipe_of() {
    podman image inspect --format '{{index .Labels "io.csr-emulator.base-recipe"}}' "$1" 2>/dev/null || true
}

if [ -n "${CSR_CONTAINER_BASE:-}" ]; then
    podman image exists "$BASE_IMAGE" || fail "base image $BASE_IMAGE not found"
else
    # One builder at a time; a second concurrent run waits and then finds the image.
    exec 9>/var/tmp/csr-emulator-base-image.lock
    flock 9
    if [ "$(base_recipe_of "$BASE_IMAGE")" != "$BASE_RECIPE" ]; then
        build_base_image
    else
        say "using cached base image $BASE_IMAGE"
    fi
    exec 9>&-
fi

# --- build ------------------------------------------------------------------------------------
# --format docker: the OCI image format has no HEALTHCHECK; podman would drop it with a warning.
# --layers=false: no intermediate images are left behind, so the cleanup below is complete.
say "building $IMAGE"
t0=$(now)
if ! podman build --format docker --layers=false --pull=never \
    --build-arg BASE="$BASE_IMAGE" -t "$IMAGE" -f Dockerfile . >"$WORK/build.log" 2>&1; then
    tail -n 60 "$WORK/build.log" >&2
    fail "podman build failed (log above)"
fi
BUILD_SECONDS=$(elapsed "$t0" "$(now)")
grep -E 'tests passed|tests failed' "$WORK/build.log" | sed 's/^/[container-test]   build stage: /' || true
IMAGE_SIZE=$(podman image inspect --format '{{.Size}}' "$IMAGE")
say "built in $BUILD_SECONDS s, image size $IMAGE_SIZE bytes ($((IMAGE_SIZE / 1024 / 1024)) MiB)"
# The runtime is the binary and its libraries: 30 MiB is the ceiling the image is held to.
[ "$IMAGE_SIZE" -le $((30 * 1024 * 1024)) ] || fail "image is $IMAGE_SIZE bytes, over 30 MiB"

# The image declares what the issue asks for.
config=$(podman image inspect --format \
    '{{.Config.User}}|{{json .Config.Volumes}}|{{json .Config.ExposedPorts}}|{{.Config.StopSignal}}|{{json .Config.Healthcheck.Test}}' \
    "$IMAGE")
say "image config: $config"
IFS='|' read -r cfg_user cfg_volumes cfg_ports cfg_stop cfg_health <<<"$config"
[ -n "$cfg_user" ] && [ "$cfg_user" != root ] && [ "$cfg_user" != 0 ] || fail "image USER is '$cfg_user'"
[[ "$cfg_volumes" == *'"/data"'* ]] || fail "image has no VOLUME /data: $cfg_volumes"
[[ "$cfg_ports" == *'"8790/tcp"'* ]] || fail "image does not EXPOSE 8790: $cfg_ports"
[[ "$cfg_stop" == SIGTERM || "$cfg_stop" == 15 ]] || fail "image STOPSIGNAL is '$cfg_stop'"
[[ "$cfg_health" == *healthcheck* ]] || fail "image has no HEALTHCHECK: $cfg_health"

# --- run --------------------------------------------------------------------------------------
# Podman schedules periodic healthchecks with systemd timers; with no systemd (as on these machines)
# it logs an error at each run and stop and carries on. This test runs the healthcheck itself.
podman_quiet() { podman "$@" 2> >(grep -v "unable to get systemd connection" >&2); }

# A TCP port nobody on the host listens on (the container shares the host's network).
port_in_use() {
    local suffix
    suffix=$(printf ":%04X" "$1")
    # Local addresses look like 0100007F:1F6E (IPv4) or 32 hex digits:1F6E (IPv6), any state.
    awk -v s="$suffix" 'FNR > 1 && substr($2, length($2) - 4) == s { f = 1 } END { exit !f }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
pick_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 40000))
        port_in_use "$port" || { echo "$port"; return; }
    done
    fail "no free port found"
}
PORT=$(pick_port)
BASE_URL="http://127.0.0.1:$PORT/client/v4"

# Host networking with the server on loopback: port publishing would need a private bridge.
start_container() {
    local name=$1
    CONTAINERS+=("$name")
    RUN_STARTED=$(now)
    podman_quiet run -d --name "$name" --network host \
        -e CSR_EMULATOR_LISTEN="127.0.0.1:$PORT" \
        -v "$VOLUME:/data" \
        "$IMAGE" >/dev/null
}

# Polls the image's own HEALTHCHECK until it passes; prints the seconds since `podman run`.
wait_healthy() {
    local name=$1 deadline
    deadline=$(($(date +%s) + HEALTH_TIMEOUT))
    while :; do
        if podman healthcheck run "$name" >/dev/null 2>&1; then
            elapsed "$RUN_STARTED" "$(now)"
            return
        fi
        if [ "$(podman inspect --format '{{.State.Running}}' "$name")" != true ]; then
            podman logs "$name" >&2 || true
            fail "container $name exited before it was healthy"
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            podman logs "$name" >&2 || true
            fail "container $name not healthy after $HEALTH_TIMEOUT s"
        fi
        sleep 0.1  # polling podman: it has no "wait until healthy" command
    done
}

# Stops with SIGTERM (the image's STOPSIGNAL) and checks the exit code and the shutdown log.
stop_cleanly() {
    local name=$1 code logs
    podman_quiet stop -t 20 "$name" >/dev/null
    code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
    logs=$(podman logs "$name" 2>&1)
    if [ "$code" != 0 ]; then
        printf '%s\n' "$logs" >&2
        fail "$name exited with $code after SIGTERM"
    fi
    grep -q 'event=shutdown reason=SIGTERM' <<<"$logs" || { printf '%s\n' "$logs" >&2; fail "$name logged no SIGTERM shutdown"; }
    grep -q 'event=stopped' <<<"$logs" || { printf '%s\n' "$logs" >&2; fail "$name logged no stop"; }
    say "$name: SIGTERM -> exit 0, shutdown logged"
}

# curl wrapper: writes the body to $WORK/body, prints the HTTP status.
api() {
    local method=$1 path=$2
    shift 2
    curl -sS -o "$WORK/body" -w '%{http_code}' -X "$method" "$BASE_URL$path" \
        -H 'Authorization: Bearer test' "$@"
}

podman volume create "$VOLUME" >/dev/null
say "starting the image on 127.0.0.1:$PORT with volume $VOLUME"
start_container "csr-emulator-test-$RUN_ID-1"
C1=${CONTAINERS[-1]}
HEALTHY_SECONDS=$(wait_healthy "$C1")
say "$C1 healthy $HEALTHY_SECONDS s after podman run"
podman logs "$C1" 2>/dev/null | grep -q "csr-emulator listening on http://127.0.0.1:$PORT" ||
    fail "$C1 did not print its listening line"

# The server process itself does not run as root (read from the host: the image has no shell
# and no tools to run inside it).
server_uid() { awk '/^Uid:/ { print $2 }' "/proc/$(podman inspect --format '{{.State.Pid}}' "$1")/status"; }
uid=$(server_uid "$C1")
[ -n "$uid" ] && [ "$uid" != 0 ] || fail "server runs as uid '$uid'"
say "server process uid $uid (non-root)"
VOLUME_DIR=$(podman volume inspect --format '{{.Mountpoint}}' "$VOLUME")
[ -f "$VOLUME_DIR/csr-emulator.sqlite3" ] || fail "no database at /data/csr-emulator.sqlite3 (volume $VOLUME_DIR)"
# The image holds the binary and what it links, nothing to run a shell with.
if podman_quiet run --rm --entrypoint /bin/sh "$IMAGE" -c true >/dev/null 2>&1; then fail "the image has a shell"; fi
say "no shell in the image"

status=$(api POST "/zones/$ZONE/custom_csrs" -H 'Content-Type: application/json' \
    -d '{"country":"US","state":"MA","locality":"Boston","organization":"Acme","common_name":"app.acme.io","sans":["app.acme.io"],"key_type":"p256v1"}')
[ "$status" = 201 ] || fail "POST custom_csrs: HTTP $status: $(head -c 600 "$WORK/body")"
jq -e '.success == true and (.result.id | type == "string" and length > 0)' "$WORK/body" >/dev/null ||
    fail "POST custom_csrs: unexpected body: $(head -c 600 "$WORK/body")"
cp "$WORK/body" "$WORK/created.json"
CSR_ID=$(jq -r '.result.id' "$WORK/created.json")
jq -e '.result.csr | startswith("-----BEGIN CERTIFICATE REQUEST-----")' "$WORK/created.json" >/dev/null ||
    fail "POST custom_csrs: no PEM csr in result"
say "created CSR $CSR_ID"

stop_cleanly "$C1"

# A new container on the same volume: the CSR lives in the volume, not in the container.
start_container "csr-emulator-test-$RUN_ID-2"
C2=${CONTAINERS[-1]}
HEALTHY2_SECONDS=$(wait_healthy "$C2")
say "$C2 (same volume) healthy $HEALTHY2_SECONDS s after podman run"

status=$(api GET "/zones/$ZONE/custom_csrs/$CSR_ID")
[ "$status" = 200 ] || fail "GET custom_csrs/$CSR_ID after restart: HTTP $status: $(head -c 600 "$WORK/body")"
jq -e --slurpfile created "$WORK/created.json" \
    '.success == true and .result.id == $created[0].result.id and .result.csr == $created[0].result.csr' \
    "$WORK/body" >/dev/null || fail "GET after restart: CSR differs: $(head -c 600 "$WORK/body")"
say "CSR $CSR_ID survived the restart"

uid=$(server_uid "$C2")
[ -n "$uid" ] && [ "$uid" != 0 ] || fail "restarted server runs as uid '$uid'"
stop_cleanly "$C2"

# README's compose snippet in a two-service stack on this image (podman-compose).
bash "$ROOT/tests/container/compose_test.sh" "$IMAGE" "$BASE_IMAGE"

echo
say "figures: build ${BUILD_SECONDS} s | image ${IMAGE_SIZE} bytes ($((IMAGE_SIZE / 1024 / 1024)) MiB) | podman run -> healthy ${HEALTHY_SECONDS} s (restart: ${HEALTHY2_SECONDS} s)"
