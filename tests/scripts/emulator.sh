# Sourced by the shell tests: start_emulator starts the binary on port 0 with a temporary
# database and sets EMULATOR (http://127.0.0.1:PORT), and EDGE_HTTPS / EDGE_HTTP when the flags
# given start the edge; the EXIT trap stops it and cleans up.
set -euo pipefail

: "${CSR_EMULATOR_BINARY:?set CSR_EMULATOR_BINARY to the csr-emulator binary}"
WORK=$(mktemp -d)
EMULATOR_PID=
cleanup() {
  if [[ -n "$EMULATOR_PID" ]]; then kill -TERM "$EMULATOR_PID" 2>/dev/null || true; wait "$EMULATOR_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

start_emulator() {
  mkfifo "$WORK/stdout"
  # Only our flags configure the emulator: a CSR_EMULATOR_* setting in the caller's environment
  # (say, CSR_EMULATOR_API_TOKENS) would change what the test checks.
  local strip=()
  for name in $(compgen -e); do [[ "$name" == CSR_EMULATOR_* && "$name" != CSR_EMULATOR_BINARY ]] && strip+=(-u "$name"); done
  env "${strip[@]}" "$CSR_EMULATOR_BINARY" --listen 127.0.0.1:0 --db "$WORK/emulator.sqlite3" --validation off "$@" >"$WORK/stdout" 2>"$WORK/emulator.log" &
  EMULATOR_PID=$!
  local line
  EDGE_HTTPS= EDGE_HTTP=
  # Ready when it says so; no sleeping. The edge's lines (with --edge-listen) come first.
  exec 3<"$WORK/stdout"
  while read -r -t 20 line <&3 && [[ "$line" == "csr-emulator edge listening on "* ]]; do
    line=${line#csr-emulator edge listening on }
    if [[ "$line" == https://* ]]; then EDGE_HTTPS=$line; else EDGE_HTTP=$line; fi
  done
  [[ -n "$line" ]] || { echo "emulator did not start"; cat "$WORK/emulator.log"; exit 1; }
  EMULATOR=${line#csr-emulator listening on }
  [[ "$EMULATOR" == http://* ]] || { echo "unexpected line: $line"; exit 1; }
}

fail() { echo "FAIL: $*" >&2; exit 1; }

# eventually WHAT COMMAND [ARGS...]: runs COMMAND until it succeeds, for up to 30 s, and fails
# naming WHAT if it never does. For waiting on the emulator to do something, never for time to
# pass inside it (that is POST /_emulator/clock {"advance": ...}).
eventually() {
  local what=$1
  shift
  local try
  for try in $(seq 300); do
    "$@" && return 0
    sleep 0.1  # the pause between tries; nothing to wait on instead
  done
  fail "not seen within 30 s: $what"
}
