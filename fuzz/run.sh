#!/bin/bash
# Runs the fuzz targets (fuzz/README.md has the whole story).
#
#   fuzz/run.sh [SECONDS]   build with libFuzzer + ASan + UBSan, then run
#                           every target for SECONDS (default 30) from
#                           corpus/<target>/; exit 1 on any finding, kept
#                           in build-fuzz/findings/<target>/
#   fuzz/run.sh seed        regenerate seeds (document examples, the
#                           parser's cases, recorded runs of every profile)
#                           and merge what adds coverage into corpus/
#   fuzz/run.sh minimize    shrink every corpus/<target>/ with -merge=1
#   fuzz/run.sh coverage    line coverage of lib/sc_parse*.c from
#                           replaying the parser targets' corpora (gcov)
#
# FUZZ_TARGETS="text json" limits the targets; FUZZ_JOBS=N runs N targets
# at once (default: the number of cores); FUZZ_RUNS=N also stops a target
# after N executions.
#
#   fuzz/run.sh afl TARGET SECONDS [CORES]
#                           the same target built with AFL++
#                           (afl-clang-fast, its libFuzzer driver, ASan and
#                           UBSan), one afl-fuzz -M and CORES-1 -S
#                           instances from corpus/TARGET/; exit 1 on a
#                           crash, kept in build-afl/findings/TARGET/
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGETS="${FUZZ_TARGETS:-text json pattern spec sim escape roundtrip compare catalogue}"
OUT="$ROOT/build-fuzz/out"
JOBS="${FUZZ_JOBS:-$(nproc)}"

deps() {
  local missing=""
  for p in clang libclang-rt-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
      missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "installing Debian packages:$missing"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
  fi
}

build() {
  deps
  EXTRA_TARGETS="${EXTRA_TARGETS:-}" bash fuzz/build.sh >/dev/null
}

# One target for $1 seconds; prints its final figures.
run_one() {
  local t="$1" secs="$2" work="$ROOT/build-fuzz/corpus/$1"
  local found="$ROOT/build-fuzz/findings/$t" log="$ROOT/build-fuzz/log/$t.log"
  mkdir -p "$work" "$found" "$(dirname "$log")" "corpus/$t"
  local runs_opt=()
  [ -n "${FUZZ_RUNS:-}" ] && runs_opt=(-runs="$FUZZ_RUNS")
  if "$OUT/fuzz_$t" -max_total_time="$secs" "${runs_opt[@]}" -timeout=10 \
       -rss_limit_mb=2048 -dict="$OUT/fuzz_$t.dict" \
       -artifact_prefix="$found/" -print_final_stats=1 \
       "$work" "corpus/$t" >"$log" 2>&1; then
    local runs rate took cov
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
    cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" |
      tail -1)
    printf '%-10s ok  %10s runs in %ss (%s/s)  %s\n' "$t" "$runs" \
      "${took:-$secs}" "$rate" "$cov"
  else
    printf '%-10s FINDING (log: %s)\n' "$t" "$log"
    grep -E -m3 'invariant:|ERROR: |runtime error' "$log" | sed 's/^/    /'
    ls "$found" | sed 's/^/    /'
    return 1
  fi
}

afl() {
  local t="$1" secs="$2" cores="${3:-1}" out="$ROOT/build-afl/findings/$1"
  command -v afl-fuzz >/dev/null || {
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq afl++
  }
  CC=afl-clang-fast OUT="$ROOT/build-afl/out" WORK="$ROOT/build-afl/work" \
    bash fuzz/build.sh >/dev/null
  rm -rf "$out" && mkdir -p "$out"
  export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
    AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SUPPRESS_SANITIZER_REPORT=1
  local pids=() i
  for i in $(seq 1 "$cores"); do
    local role="-S s$i"
    [ "$i" -eq 1 ] && role="-M main"
    # shellcheck disable=SC2086
    afl-fuzz $role -V "$secs" -m none -t 10000 -i "corpus/$t" -o "$out" \
      -x "$ROOT/build-afl/out/fuzz_$t.dict" -- "$ROOT/build-afl/out/fuzz_$t" \
      >"$out/afl-$i.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || true; done
  local crashes=0 d
  for d in "$out"/*/; do
    [ -f "$d/fuzzer_stats" ] || continue
    awk -F' *: *' -v n="$(basename "$d")" '
      {v[$1]=$2}
      END {printf "%-6s %12s execs %9s/s  edges %s (%s)  corpus %s  crashes %s  hangs %s\n",
           n, v["execs_done"], v["execs_per_sec"], v["edges_found"],
           v["bitmap_cvg"], v["corpus_count"], v["saved_crashes"],
           v["saved_hangs"]}' "$d/fuzzer_stats"
    crashes=$((crashes + $(ls "$d/crashes" 2>/dev/null | grep -vc README || true)))
  done
  [ "$crashes" -eq 0 ] || { echo "$t: $crashes crashes in $out"; return 1; }
}

# Line coverage of the parser (lib/sc_parse*.c) when the parser
# targets' corpora are replayed: gcc --coverage and gcov.
coverage() {
  local b="$ROOT/build-cov" t
  cmake -S . -B "$b" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS=--coverage \
    -DSC_BUILD_TESTS=OFF >/dev/null
  cmake --build "$b" -j "$JOBS" --target fuzz_replay_text fuzz_replay_json \
    fuzz_replay_pattern fuzz_replay_roundtrip >/dev/null
  find "$b" -name '*.gcda' -delete
  for t in text json pattern roundtrip; do
    "$b/fuzz/fuzz_replay_$t" "corpus/$t"
  done
  (cd "$b" && gcov -n lib/CMakeFiles/smsconform_parse.dir/sc_parse*.gcda \
    2>/dev/null | grep -A1 "^File '.*sc_parse")
}

case "${1:-30}" in
coverage)
  coverage
  ;;
afl)
  afl "${2:?target}" "${3:?seconds}" "${4:-1}"
  ;;
seed)
  EXTRA_TARGETS="smsconform sc_mkseeds" build
  bin="$ROOT/build-fuzz/work"
  rec="$ROOT/build-fuzz/recordings"
  rm -rf "$rec" "$ROOT/build-fuzz/seeds"
  mkdir -p "$rec"
  for p in sms-activate koalasms smsbulk securesms rest-v1; do
    "$bin/smsconform" run --profile "$p" --record "$rec/$p" >/dev/null || true
    # smaller reports, one with failures, for the compare target
    "$bin/smsconform" run --profile "$p" --tier smoke \
      --json "$rec/$p-smoke.json" >/dev/null || true
  done
  "$bin/smsconform" run --profile sms-activate --tier smoke \
    --fault html-error-page,key-echoed,phone-plus --json "$rec/faults.json" \
    >/dev/null || true
  "$bin/fuzz/sc_mkseeds" "$ROOT/build-fuzz/seeds" "$rec"/*/recording.json \
    "$rec"/*.json
  for t in $TARGETS; do
    mkdir -p "corpus/$t"
    "$OUT/fuzz_$t" -merge=1 "corpus/$t" "$ROOT/build-fuzz/seeds/$t" 2>&1 |
      grep -E '^MERGE-OUTER: [0-9]+ new files' | sed "s/^/$t: /"
  done
  ;;
minimize)
  build
  for t in $TARGETS; do
    rm -rf "build-fuzz/min/$t" && mkdir -p "build-fuzz/min/$t"
    "$OUT/fuzz_$t" -merge=1 "build-fuzz/min/$t" "corpus/$t" >/dev/null 2>&1
    before=$(ls "corpus/$t" | wc -l)
    rm -rf "corpus/$t" && mv "build-fuzz/min/$t" "corpus/$t"
    echo "$t: $before -> $(ls "corpus/$t" | wc -l) files"
  done
  ;;
*[!0-9]*)
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
  ;;
*)
  secs="$1"
  build
  rc=0
  pids=()
  for t in $TARGETS; do
    run_one "$t" "$secs" &
    pids+=($!)
    if [ "${#pids[@]}" -ge "$JOBS" ]; then
      wait "${pids[0]}" || rc=1
      pids=("${pids[@]:1}")
    fi
  done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  exit $rc
  ;;
esac
