#!/bin/bash
# Instruction counts of the parser benchmark, for decisions on a shared
# machine: wall-clock figures move with the load, callgrind's counts do not.
#
#   bash bench/callgrind.sh [BENCH_PARSE] [OUTDIR]
#
# For every group of bench_parse, one pass of sc_parse (pass_sc) and, for
# the JSON groups, one pass of bare cJSON (pass_cjson) run under callgrind
# with collection on inside that function only. Prints "group Ir_sc
# Ir_cjson Ir_cjson/Ir_sc"; the profiles stay in OUTDIR for
# callgrind_annotate.
set -euo pipefail
BIN="${1:-build-bench/bench/bench_parse}"
OUT="${2:-$(mktemp -d)}"
mkdir -p "$OUT"
if ! command -v valgrind >/dev/null; then
  echo "callgrind.sh: needs valgrind" >&2
  exit 1
fi
ir() {
  valgrind --tool=callgrind --callgrind-out-file="$OUT/$1.$2.out" \
    --toggle-collect="$2" "$BIN" --only "$1" --reps 1 --min-ms 0 \
    >/dev/null 2>"$OUT/$1.$2.err"
  sed -n 's/^\(summary\|totals\): *\([0-9]*\).*/\2/p' "$OUT/$1.$2.out" | head -1
}
printf '%-18s %12s %12s %8s\n' group Ir_sc Ir_cjson ratio
for g in examples-text examples-json getPrices getPricesV3 getCountries \
  getNumbersStatus; do
  sc=$(ir "$g" pass_sc)
  if [ "$g" = examples-text ]; then
    printf '%-18s %12s %12s %8s\n' "$g" "$sc" - -
    continue
  fi
  cj=$(ir "$g" pass_cjson)
  printf '%-18s %12s %12s %8.3f\n' "$g" "$sc" "$cj" \
    "$(awk -v a="$cj" -v b="$sc" 'BEGIN {print a / b}')"
done
echo "profiles in $OUT"
