#!/usr/bin/env bash
# The OSS-Fuzz / ClusterFuzzLite build, without their containers: sets the
# environment contract the way their base-builder image does (CC, CXX,
# CFLAGS, CXXFLAGS, LIB_FUZZING_ENGINE, SRC, WORK, OUT and friends), runs
# the build script the Dockerfiles run (.clusterfuzzlite/build.sh, copied
# to $SRC/build.sh and run from $SRC/smsconform as they do), then checks
# what it produced as their runners would use it:
#
#   - every target of fuzz/build.sh is in $OUT with its .dict and its
#     _seed_corpus.zip;
#   - $OUT is self-contained: copied elsewhere, every library a target
#     needs beyond glibc resolves inside the copy's lib/;
#   - every target, from that copy, runs over its whole seed corpus once
#     (-runs=0) with its dictionary; any crash, leak, sanitizer report or
#     timeout fails the check.
#
# Usage: ci/ossfuzz-check.sh   (SANITIZER=address by default, or undefined;
# JOBS=N for the build; KEEP=1 keeps the temporary directory)
# Needs clang (libFuzzer and the sanitizers), cmake, zip, unzip and
# patchelf; installs the missing ones with apt-get.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SANITIZER="${SANITIZER:-address}"

need=""
for tool in clang:clang zip:zip unzip:unzip patchelf:patchelf cmake:cmake; do
  command -v "${tool%%:*}" >/dev/null || need="$need ${tool#*:}"
done
if [ -n "$need" ]; then
  echo "ossfuzz-check: installing$need"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need
fi

T="$(mktemp -d "${TMPDIR:-/tmp}/sc-ossfuzz.XXXXXX")"
cleanup() { [ "${KEEP:-0}" = 1 ] && echo "kept $T" || rm -rf "$T"; }
trap cleanup EXIT

# The contract, as base-builder sets it for libFuzzer (infra/base-images/
# base-builder: compile, and the SANITIZER_FLAGS_* of its Dockerfile).
export CC=clang CXX=clang++
export FUZZING_ENGINE=libfuzzer FUZZING_LANGUAGE=c ARCHITECTURE=x86_64
export SANITIZER
case "$SANITIZER" in
  address)
    SANITIZER_FLAGS="-fsanitize=address -fsanitize-address-use-after-scope" ;;
  undefined)
    SANITIZER_FLAGS="-fsanitize=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unsigned-integer-overflow,unreachable,vla-bound -fno-sanitize-recover=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound" ;;
  *) echo "ossfuzz-check: SANITIZER must be address or undefined" >&2; exit 2 ;;
esac
export SANITIZER_FLAGS COVERAGE_FLAGS="-fsanitize=fuzzer-no-link"
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION $SANITIZER_FLAGS $COVERAGE_FLAGS"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export SRC="$T/src" WORK="$T/work" OUT="$T/out"
export JOBS="${JOBS:-2}"
mkdir -p "$SRC" "$WORK" "$OUT"
ln -s "$ROOT" "$SRC/smsconform"
cp "$ROOT/.clusterfuzzlite/build.sh" "$SRC/build.sh"

failures=0
bad() { echo "FAIL  $*"; failures=$((failures + 1)); }

echo "== build ($SANITIZER): CC=$CC CFLAGS=$CFLAGS LIB_FUZZING_ENGINE=$LIB_FUZZING_ENGINE"
t0=$(date +%s)
(cd "$SRC/smsconform" && bash -eu "$SRC/build.sh")
t1=$(date +%s)
echo "== build took $((t1 - t0)) s"

# The targets fuzz/build.sh promises (its TARGETS line).
targets="$(sed -n 's/^TARGETS="\(.*\)"$/\1/p' "$ROOT/fuzz/build.sh")"
[ -n "$targets" ] || { echo "ossfuzz-check: no TARGETS in fuzz/build.sh" >&2; exit 1; }

# A runner gets $OUT and nothing else: check and run a copy of it.
RUN="$T/runner/out"
mkdir -p "$T/runner"
cp -a "$OUT" "$RUN"

. "$ROOT/.clusterfuzzlite/system-libs.sh"

for t in $targets; do
  f="$RUN/fuzz_$t"
  [ -x "$f" ] || { bad "fuzz_$t: not built"; continue; }
  [ -s "$f.dict" ] || bad "fuzz_$t.dict: missing or empty"
  [ -s "$RUN/fuzz_${t}_seed_corpus.zip" ] || bad "fuzz_${t}_seed_corpus.zip: missing"
  # Every library outside glibc must come from the copy's lib/.
  while read -r name arrow path _; do
    [ "$arrow" = "=>" ] || continue
    system_lib "$name" && continue
    case "$path" in
      "$RUN"/lib/*) ;;
      *) bad "fuzz_$t: $name resolves to $path, not to \$OUT/lib" ;;
    esac
  done < <(env -u LD_LIBRARY_PATH ldd "$f")
done

echo "== seed corpus runs (-runs=0, one pass over each corpus)"
total_runs=0
for t in $targets; do
  f="$RUN/fuzz_$t"
  [ -x "$f" ] || continue
  seeds="$T/seeds/$t"
  mkdir -p "$seeds"
  if [ -s "$RUN/fuzz_${t}_seed_corpus.zip" ]; then
    unzip -q -o "$RUN/fuzz_${t}_seed_corpus.zip" -d "$seeds"
  else
    cp -r "$ROOT/corpus/$t/." "$seeds/"
  fi
  n=$(find "$seeds" -type f | wc -l)
  s0=$(date +%s)
  log="$T/run-$t.log"
  if (cd "$T/runner" && env -u LD_LIBRARY_PATH "$f" -runs=0 -timeout=25 \
        -dict="$f.dict" "$seeds") > "$log" 2>&1; then
    s1=$(date +%s)
    echo "ok    fuzz_$t: $n seeds, $((s1 - s0)) s ($(grep -o 'cov: [0-9]*' "$log" | tail -1))"
  else
    bad "fuzz_$t: the seed corpus run failed; the end of its log:"
    tail -n 30 "$log" | sed 's/^/      /'
  fi
  total_runs=$((total_runs + n))
done
t2=$(date +%s)
echo "== runs took $((t2 - t1)) s ($total_runs seeds); total $((t2 - t0)) s"

if [ "$failures" -ne 0 ]; then
  echo "ossfuzz-check: $failures problem(s)"
  exit 1
fi
echo "ossfuzz-check: build and seed runs pass under the OSS-Fuzz contract ($SANITIZER)"
