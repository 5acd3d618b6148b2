#!/usr/bin/env bash
# CI: `cmake --install` into a DESTDIR, then a consumer of the parser library
# (examples/consumer) built and run against it three ways: through
# pkg-config, through find_package (shared), through find_package (static).
#
#   ci/install-check.sh            # CC=clang ci/install-check.sh for clang
#
# Environment: CC (compiler, default cc), JOBS (default 2), PREFIX (default
# /usr/local), KEEP=1 keeps the scratch directory. Exit 0 when every step
# passed; otherwise the message names the step that failed.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
JOBS=${JOBS:-2}
PREFIX=${PREFIX:-/usr/local}
export CC=${CC:-cc}

tmp=$(mktemp -d /tmp/sc-install-check.XXXXXX)
cleanup() { [ "${KEEP:-0}" = 1 ] && echo "kept $tmp" || rm -rf "$tmp"; }
trap cleanup EXIT
dest=$tmp/dest
step=""
trap 'echo "install-check: FAILED at: $step" >&2' ERR
say() { step=$1; echo "== $1"; }

say "dependencies (make deps)"
make --no-print-directory deps

say "configure and build Release with $CC"
cmake -S "$src" -B "$tmp/build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX="$PREFIX" -DSC_BUILD_TESTS=OFF -DSC_WERROR=ON \
  > "$tmp/configure.log" || { cat "$tmp/configure.log"; false; }
cmake --build "$tmp/build" -j "$JOBS" > "$tmp/build.log" 2>&1 \
  || { tail -50 "$tmp/build.log"; false; }

say "DESTDIR=$dest cmake --install"
DESTDIR=$dest cmake --install "$tmp/build" > "$tmp/install.log"
# Where GNUInstallDirs put the libraries (lib, lib64 or lib/<triplet>).
libdir=$(dirname "$(find "$dest$PREFIX" -name libsmsconform.a | head -1)")
[ -n "$libdir" ] && [ "$libdir" != . ]
for f in "bin/smsconform" "include/smsconform/smsconform.h" \
         "share/man/man1/smsconform.1"; do
  [ -f "$dest$PREFIX/$f" ] || { echo "not installed: $PREFIX/$f" >&2; false; }
done
for f in libsmsconform.so libsmsconform.so.0 pkgconfig/smsconform.pc \
         cmake/smsconform/smsconformConfig.cmake \
         cmake/smsconform/smsconformConfigVersion.cmake \
         cmake/smsconform/smsconformTargets.cmake; do
  [ -e "$libdir/$f" ] || { echo "not installed: $libdir/$f" >&2; false; }
done
if [ -f contrib/bash-completion/smsconform ]; then
  f=$dest$PREFIX/share/bash-completion/completions/smsconform
  [ -f "$f" ] || { echo "not installed: $f" >&2; false; }
  bash -n "$f"
fi
soname=$(readelf -d "$libdir/libsmsconform.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$soname" = libsmsconform.so.0 ] \
  || { echo "SONAME is '$soname', want libsmsconform.so.0" >&2; false; }
# Nothing installed may point back into the build or source tree.
if grep -rlI -e "$tmp/build" -e "$src/lib" -e "$src/src" "$dest" >&2; then
  echo "installed files above refer to the build or source tree" >&2; false
fi
man -l "$dest$PREFIX/share/man/man1/smsconform.1" > /dev/null 2>&1 \
  || MANWIDTH=80 groff -man -Tutf8 -ww -z "$dest$PREFIX/share/man/man1/smsconform.1" \
  || true

say "installed smsconform runs"
"$dest$PREFIX/bin/smsconform" --version
"$dest$PREFIX/bin/smsconform" list profiles > /dev/null

# run BINARY LIBPATH: the consumer judges "ACCESS_BALANCE:12.50" for
# getBalance and must print PASS with the balance.
check_consumer() {
  local out
  out=$(LD_LIBRARY_PATH=$2 "$1") \
    || { echo "$1 exited non-zero: $out" >&2; return 1; }
  echo "   $out"
  case $out in
    "PASS ACCESS_BALANCE balance=12.50"*) ;;
    *) echo "$1: want 'PASS ACCESS_BALANCE balance=12.50'" >&2; return 1;;
  esac
  # and a bad answer is judged a FAIL (exit 1), not a crash
  if LD_LIBRARY_PATH=$2 "$1" 'ACCESS_BALANCE:+12' > /dev/null; then
    echo "$1: a malformed balance passed" >&2; return 1
  fi
}

say "consumer through pkg-config (shared)"
export PKG_CONFIG_PATH=$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest
flags=$(pkg-config --cflags --libs smsconform)
echo "   pkg-config --cflags --libs smsconform: $flags"
pkg-config --exact-version="$(sed -n 's/^project(smsconform VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)" smsconform
# shellcheck disable=SC2086
$CC -std=c11 -Wall -Wextra -Werror examples/consumer/consumer.c $flags \
  -o "$tmp/consumer-pc"
ldd "$tmp/consumer-pc" | grep -q 'libsmsconform.so.0' \
  || { echo "consumer-pc is not linked with libsmsconform.so.0" >&2; false; }
check_consumer "$tmp/consumer-pc" "$libdir"
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

for kind in shared static; do
  say "consumer through find_package ($kind)"
  static=OFF; [ $kind = static ] && static=ON
  cmake -S examples/consumer -B "$tmp/consumer-$kind" \
    -DCMAKE_PREFIX_PATH="$dest$PREFIX" -DSMSCONFORM_STATIC=$static \
    -DCMAKE_C_FLAGS="-Wall -Wextra -Werror" > "$tmp/consumer-$kind.log" \
    || { cat "$tmp/consumer-$kind.log"; false; }
  cmake --build "$tmp/consumer-$kind" >> "$tmp/consumer-$kind.log" 2>&1 \
    || { cat "$tmp/consumer-$kind.log"; false; }
  bin=$tmp/consumer-$kind/consumer
  if [ $kind = static ]; then
    if ldd "$bin" | grep -q libsmsconform; then
      echo "the static consumer loads libsmsconform" >&2; false
    fi
    check_consumer "$bin" ""
  else
    check_consumer "$bin" "$libdir"
  fi
done

step=""
echo "install-check: PASS (install, pkg-config and find_package consumers)"
