#!/bin/bash
# Runs one libFuzzer harness for a bounded time over a copy of its seed
# corpus, so the committed corpus stays small and reviewed:
#
#   run-fuzzer.sh FUZZER SEED_DIR ARTIFACT_DIR
#
# VOUCH_FUZZ_SECONDS sets the time (default 20). A crash, leak, timeout or
# sanitizer report fails the test; the input is kept in ARTIFACT_DIR and
# printed in base64, to be added to SEED_DIR once fixed.
set -eu

fuzzer=$1
seeds=$2
name=$(basename "$fuzzer")
seconds=${VOUCH_FUZZ_SECONDS:-20}

work=$(mktemp -d "${TMPDIR:-/tmp}/vouch-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/corpus"
cp "$seeds"/* "$work/corpus/"

artifacts=$3
mkdir -p "$artifacts"

status=0
"$fuzzer" "$work/corpus" \
  -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$artifacts/$name-" \
  >"$work/log" 2>&1 || status=$?

grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added)" \
  "$work/log" || true
if [ "$status" -ne 0 ]; then
  tail -n 60 "$work/log"
  for f in "$artifacts/$name-"*; do
    [ -f "$f" ] || continue
    echo "artifact $f (base64):"
    base64 -w 76 "$f" | head -n 200
  done
  # Not libFuzzer's own status: it reports a finding with 77, which meson
  # takes for "skipped", so a leak once passed as a skip.
  exit 1
fi
