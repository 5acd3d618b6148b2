#!/bin/bash -eu
# The fuzzing build for ClusterFuzzLite and OSS-Fuzz (oss-fuzz/smsconform/
# runs this file too). It follows their environment contract: $CC, $CFLAGS
# (sanitizer and coverage instrumentation), $LIB_FUZZING_ENGINE, $SRC,
# $WORK and $OUT, all set by the base-builder image; ci/ossfuzz-check.sh
# sets them the same way to run this build outside a container.
#
# fuzz/build.sh does the build and puts into $OUT every fuzz_<target>, its
# .dict and its _seed_corpus.zip. The fuzz targets link cJSON, libcurl,
# libmicrohttpd and libxml2 from the image's packages, which the machines
# that run the targets do not have: only $OUT goes there. So every shared
# library a target needs beyond glibc is copied to $OUT/lib, and each
# target looks there first (RPATH $ORIGIN/lib, which applies to the
# libraries' own dependencies too).

# The repository: $SRC/smsconform in the images; else the one holding
# this script.
ROOT="$SRC/smsconform"
if [ ! -f "$ROOT/fuzz/build.sh" ]; then
  ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fi

# A newer clang's new warnings must not stop continuous fuzzing; the
# project's own CI builds with -Werror.
SC_WERROR="${SC_WERROR:-OFF}" "$ROOT/fuzz/build.sh"

# Libraries that are on every runner (glibc and the compiler's runtime).
. "$ROOT/.clusterfuzzlite/system-libs.sh"

mkdir -p "$OUT/lib"
for target in "$OUT"/fuzz_*; do
  case "$(basename "$target")" in *.*) continue ;; esac # .dict, .zip
  [ -x "$target" ] || continue
  # ldd lists the whole closure, dependencies of dependencies included.
  ldd "$target" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' |
    while read -r lib; do
      name="$(basename "$lib")"
      system_lib "$name" && continue
      case "$lib" in "$OUT"/lib/*) continue ;; esac
      [ -f "$OUT/lib/$name" ] || cp -L "$lib" "$OUT/lib/$name"
    done
  # DT_RPATH, not DT_RUNPATH: it is searched for the libraries'
  # dependencies as well.
  patchelf --force-rpath --set-rpath '$ORIGIN/lib' "$target"
done
echo "runtime libraries in $OUT/lib: $(ls "$OUT/lib" | tr '\n' ' ')"
