#!/bin/bash
# Builds the fuzz targets the way an OSS-Fuzz / ClusterFuzzLite project's
# build script does, so they can run there unchanged:
#
#   $CC, $CFLAGS          compiler and instrumentation (sanitizers and
#                         -fsanitize=fuzzer-no-link, or AFL++'s)
#   $LIB_FUZZING_ENGINE   what links the engine in (-fsanitize=fuzzer)
#   $SRC, $WORK, $OUT     sources, scratch, and where the results go
#
# Results in $OUT: fuzz_<target>, fuzz_<target>.dict (generated from
# specs/) and fuzz_<target>_seed_corpus.zip (corpus/<target>/, when zip is
# there). Outside OSS-Fuzz every variable has a local default: clang with
# libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer, results in
# build-fuzz/out. With AFL++: CC=afl-clang-fast OUT=build-afl/out
# WORK=build-afl/work fuzz/build.sh (see fuzz/README.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJECT="$ROOT"
CC="${CC:-clang}"
LIB_FUZZING_ENGINE="${LIB_FUZZING_ENGINE:--fsanitize=fuzzer}"
OUT="${OUT:-$ROOT/build-fuzz/out}"
WORK="${WORK:-$ROOT/build-fuzz/work}"
TARGETS="text json pattern spec sim escape roundtrip compare catalogue"

# OSS-Fuzz passes the instrumentation in CFLAGS; locally the build adds its
# own (SC_FUZZ_SANITIZE in CMakeLists.txt).
if [ -n "${CFLAGS:-}" ]; then
  SANITIZE=""
else
  SANITIZE="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
fi

mkdir -p "$OUT" "$WORK"
OUT="$(cd "$OUT" && pwd)"
WORK="$(cd "$WORK" && pwd)"
cmake -S "$PROJECT" -B "$WORK" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="${CFLAGS:-}" \
  -DSC_BUILD_TESTS=OFF -DSC_BUILD_FUZZERS=ON \
  -DSC_FUZZ_SANITIZE="$SANITIZE" -DSC_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
  -DSC_WERROR="${SC_WERROR:-ON}" >/dev/null
build_targets=""
for t in $TARGETS; do build_targets="$build_targets fuzz_$t fuzz_${t}_dict"; done
# shellcheck disable=SC2086
cmake --build "$WORK" -j "${JOBS:-$(nproc)}" --target $build_targets ${EXTRA_TARGETS:-}

for t in $TARGETS; do
  cp "$WORK/fuzz/fuzz_$t" "$OUT/fuzz_$t"
  cp "$WORK/fuzz/$t.dict" "$OUT/fuzz_$t.dict"
  if command -v zip >/dev/null && [ -d "$PROJECT/corpus/$t" ]; then
    rm -f "$OUT/fuzz_${t}_seed_corpus.zip"
    (cd "$PROJECT/corpus/$t" && zip -q -r "$OUT/fuzz_${t}_seed_corpus.zip" .)
  fi
done
echo "fuzz targets in $OUT: $(cd "$OUT" && ls fuzz_* | grep -v '\.' | tr '\n' ' ')"
