#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (default 60), one after another with one job each
# (the machine is shared), and prints executions and coverage per target. New inputs go to a
# scratch copy of each corpus, so the committed seeds stay small; crash inputs are left in
# $FUZZ_OUT (default build-fuzz/fuzz-out). Exit status: non-zero if any target crashed.
# Usage: tests/fuzz/run_fuzzers.sh [SECONDS] [BUILD_DIR]   (BUILD_DIR default: build-fuzz)
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
build=${2:-build-fuzz}
out=${FUZZ_OUT:-$build/fuzz-out}
targets=(fuzz_http fuzz_routes fuzz_certificate fuzz_names fuzz_query fuzz_state_document)
mkdir -p "$out"
status=0
for target in "${targets[@]}"; do
  binary=$build/tests/fuzz/$target
  [[ -x $binary ]] || { echo "run_fuzzers: $binary missing (configure with clang and -DCSR_EMULATOR_FUZZ=ON)"; exit 2; }
  work=$out/$target-corpus
  mkdir -p "$work"
  extra=()
  # The JSON target needs room for deeply nested bodies (the stack overflow class of issue #11).
  [[ $target == fuzz_routes ]] && extra+=(-max_len=262144 -dict=tests/fuzz/json.dict)
  [[ $target == fuzz_http ]] && extra+=(-max_len=16384 -dict=tests/fuzz/http.dict)
  # A seed document with its PEMs is a few kilobytes; its JSON text columns may nest deep.
  [[ $target == fuzz_state_document ]] && extra+=(-max_len=262144 -dict=tests/fuzz/state.dict)
  log=$out/$target.log
  started=$(date +%s)
  "$binary" -max_total_time="$seconds" -jobs=1 -workers=1 -print_final_stats=1 -rss_limit_mb=4096 \
    -artifact_prefix="$out/$target-" "${extra[@]}" "$work" tests/fuzz/corpus/$target >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' <<<"$last"); ft=$(grep -o 'ft: [0-9]*' <<<"$last")
  printf '%-18s %4ss  execs=%-10s %s %s  exit=%s\n' "$target" "$(($(date +%s) - started))" "${execs:-?}" "$cov" "$ft" "$rc"
  if ((rc != 0)); then
    status=1
    grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5
  fi
done
exit $status
