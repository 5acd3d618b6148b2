#!/usr/bin/env bash
# Runs ci/gate.sh (the logic of action.yml) the ways the action does, with
# the same inputs, against the simulator, and exits 1 when any outcome is
# not the expected one:
#
#   1. no URL: the built-in simulator; passes, writes the five reports and
#      the job summary;
#   2. `smsconform serve` in the background, URL and control given, keys
#      from the environment: passes, and the key is in no report or log;
#   3. `serve --fault no-refund`: fails (exit 1) without a baseline, and
#      passes with a baseline made by `run --update-baseline`;
#   4. the smoke tier passes;
#   5. bad inputs are usage errors (exit 2): a key on the command line, a
#      key in the URL, a URL without a key, an unknown tier, a missing
#      baseline, a control URL without a URL.
#
# Usage: SC_BIN=path/to/smsconform ci/gate-check.sh
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GATE="$ROOT/ci/gate.sh"
BIN="${SC_BIN:-$ROOT/build/smsconform}"
[ -x "$BIN" ] || { echo "gate-check: no smsconform at $BIN (set SC_BIN)" >&2; exit 2; }
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/sc-gate-check.XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do
    kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Keys no report may contain (serve --keys takes them as accounts).
KEY="gate-check-key-7f3a9c"
KEY2="gate-check-key2-51be0d"
failures=0
ok() { echo "ok    $*"; }
bad() { echo "FAIL  $*"; failures=$((failures + 1)); }

# gate NAME EXPECTED_RC [VAR=VALUE ...] [-- ARGS...]: runs the gate in a
# clean environment with only the SC_* variables given.
gate() {
  local name="$1" want="$2"; shift 2
  local envs=() args=()
  while [ $# -gt 0 ]; do
    if [ "$1" = -- ]; then shift; args=("$@"); break; fi
    envs+=("$1"); shift
  done
  local log="$TMP/$name.log"
  env -i PATH="$PATH" HOME="${HOME:-/tmp}" SC_BIN="$BIN" "${envs[@]}" \
    bash "$GATE" "${args[@]}" > "$log" 2>&1
  local rc=$?
  if [ "$rc" -eq "$want" ]; then
    ok "$name: exit $rc"
  else
    bad "$name: exit $rc, expected $want; its log:"
    sed 's/^/      /' "$log" | tail -n 40
  fi
  return 0
}

# serve NAME [ARGS...]: starts `smsconform serve` and sets HANDLER and
# CONTROL from its first lines.
serve() {
  local name="$1"; shift
  "$BIN" serve --keys "$KEY:100,$KEY2:100" "$@" \
    > "$TMP/$name.out" 2> "$TMP/$name.err" &
  PIDS+=($!)
  local i
  for i in $(seq 100); do
    grep -q '^control: ' "$TMP/$name.out" 2>/dev/null && break
    sleep 0.1
  done
  HANDLER="$(sed -n 's/^handler: //p' "$TMP/$name.out")"
  CONTROL="$(sed -n 's/^control: //p' "$TMP/$name.out")"
  if [ -z "$HANDLER" ] || [ -z "$CONTROL" ]; then
    echo "gate-check: serve $* did not start:" >&2
    cat "$TMP/$name.err" >&2
    exit 1
  fi
}

expect_file() { # what path
  if [ -s "$2" ]; then ok "$1"; else bad "$1: no $2"; fi
}

cd "$TMP" || exit 2

# 1. The built-in simulator, as the action runs with no url.
: > "$TMP/summary.md"
gate sim 0 SC_REPORT_DIR="$TMP/r-sim" GITHUB_STEP_SUMMARY="$TMP/summary.md" \
  GITHUB_OUTPUT="$TMP/output"
for f in junit.xml report.json report.tap report.md report.html; do
  expect_file "sim: $f written" "$TMP/r-sim/$f"
done
if [ -s "$TMP/summary.md" ] && cmp -s "$TMP/summary.md" "$TMP/r-sim/report.md"; then
  ok "sim: the Markdown report is in the job summary"
else
  bad "sim: the job summary does not hold the report"
fi
if grep -qx 'exit-code=0' "$TMP/output" 2>/dev/null; then
  ok "sim: exit-code=0 in GITHUB_OUTPUT"
else
  bad "sim: no exit-code=0 in GITHUB_OUTPUT"
fi

# 2. A served simulator, URL and control given, the keys from the
#    environment only.
serve clean
gate served 0 SC_URL="$HANDLER" SC_CONTROL="$CONTROL" \
  SMSCONFORM_KEY="$KEY" SMSCONFORM_KEY2="$KEY2" SC_REPORT_DIR="$TMP/r-served"
if grep -rlF -e "$KEY" -e "$KEY2" "$TMP/r-served" "$TMP/served.log" >/dev/null; then
  bad "served: a key is in a report or the log: $(grep -rlF -e "$KEY" -e "$KEY2" "$TMP/r-served" "$TMP/served.log" | tr '\n' ' ')"
else
  ok "served: no key in the reports or the log"
fi
gate smoke 0 SC_URL="$HANDLER" SC_CONTROL="$CONTROL" SC_TIER=smoke \
  SMSCONFORM_KEY="$KEY" SC_REPORT_DIR="$TMP/r-smoke"

# 3. A faulty server: fails without a baseline, passes with one.
serve faulty --fault no-refund
gate faulty 1 SC_URL="$HANDLER" SC_CONTROL="$CONTROL" \
  SMSCONFORM_KEY="$KEY" SMSCONFORM_KEY2="$KEY2" SC_REPORT_DIR="$TMP/r-faulty"
SMSCONFORM_KEY="$KEY" SMSCONFORM_KEY2="$KEY2" "$BIN" run --quiet \
  --url "$HANDLER" --control "$CONTROL" \
  --baseline "$TMP/baseline.json" --update-baseline > "$TMP/baseline.log" 2>&1
if grep -q '"accepted"' "$TMP/baseline.json" 2>/dev/null; then
  ok "baseline written ($(grep -c '"id"' "$TMP/baseline.json") accepted failures)"
else
  bad "no baseline: $(cat "$TMP/baseline.log")"
fi
gate faulty-baseline 0 SC_URL="$HANDLER" SC_CONTROL="$CONTROL" \
  SMSCONFORM_KEY="$KEY" SMSCONFORM_KEY2="$KEY2" \
  SC_BASELINE="$TMP/baseline.json" SC_REPORT_DIR="$TMP/r-faulty-baseline"

# 4. Usage errors.
gate key-argument 2 -- --key "$KEY"
gate any-argument 2 -- --tier smoke
gate key-in-url 2 SC_URL="$HANDLER?api_key=$KEY" SMSCONFORM_KEY="$KEY"
gate url-without-key 2 SC_URL="$HANDLER"
gate not-a-url 2 SC_URL="ftp://example.com/x" SMSCONFORM_KEY="$KEY"
gate control-without-url 2 SC_CONTROL="$CONTROL"
gate bad-tier 2 SC_TIER=quick
gate missing-baseline 2 SC_BASELINE="$TMP/no-such-baseline.json"
gate bad-max-spend 2 SC_MAX_SPEND=ten
gate unknown-profile 2 SC_PROFILE=no-such-profile SC_REPORT_DIR="$TMP/r-bad"

if [ "$failures" -ne 0 ]; then
  echo "gate-check: $failures expectation(s) not met"
  exit 1
fi
echo "gate-check: all expectations met"
