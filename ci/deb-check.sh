#!/usr/bin/env bash
# CI: the Debian packages. Installs the build dependencies, builds the binary
# packages (dpkg-buildpackage -us -uc -b) in a copy of the tree, so nothing
# lands in the checkout; lintian must report no error; then installs the
# .debs with apt-get, runs /usr/bin/smsconform against its built-in
# simulator, builds a consumer of libsmsconform-dev with pkg-config and with
# find_package, and removes the packages again.
#
#   ci/deb-check.sh     (root, or a user with sudo; a Debian machine)
#
# Environment: KEEP=1 keeps the scratch directory (the .debs and logs) and
# leaves the packages installed. Idempotent: a second run rebuilds and
# reinstalls.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
PKGS="smsconform libsmsconform0 libsmsconform-dev"

tmp=$(mktemp -d /tmp/sc-deb-check.XXXXXX)
step=""
cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp"; return; fi
  rm -rf "$tmp"
  # shellcheck disable=SC2086
  $SUDO apt-get purge -y -qq $PKGS > /dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'echo "deb-check: FAILED at: $step" >&2' ERR
say() { step=$1; echo "== $1"; }

# installs the Debian packages of "$@" that are missing (apt-get update only
# then, as the Makefile's deps does)
need() {
  local missing="" p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
      || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    echo "installing Debian packages:$missing"
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing > /dev/null
  fi
}

say "packaging tools and build dependencies"
need build-essential dpkg-dev debhelper fakeroot lintian pkgconf
# Build-Depends of debian/control (apt-get build-dep reads the directory)
$SUDO apt-get build-dep -y -qq "$src" > "$tmp/build-dep.log" 2>&1 \
  || { $SUDO apt-get update -qq && $SUDO apt-get build-dep -y -qq "$src"; }

say "copy of the tree"
# The files git knows (tracked and new, not ignored) when this is a git
# checkout; otherwise everything but build directories.
mkdir "$tmp/smsconform"
if git -C "$src" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  git -C "$src" ls-files -z --cached --others --exclude-standard \
    | (cd "$src" && xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' _) \
    | tar -C "$src" --null -T - -cf - | tar -C "$tmp/smsconform" -xf -
else
  tar -C "$src" --exclude='./build' --exclude='./build-*' --exclude='./.git' \
    -cf - . | tar -C "$tmp/smsconform" -xf -
fi

say "dpkg-buildpackage -us -uc -b"
start=$(date +%s)
(cd "$tmp/smsconform" && dpkg-buildpackage -us -uc -b -j"${JOBS:-2}") \
  > "$tmp/dpkg-buildpackage.log" 2>&1 \
  || { tail -60 "$tmp/dpkg-buildpackage.log"; false; }
echo "   built in $(( $(date +%s) - start )) s:"
ls "$tmp"/*.deb | sed 's|.*/|   |'

say "lintian (no errors allowed)"
changes=$(ls "$tmp"/smsconform_*.changes)
lintian --fail-on error --display-info --allow-root "$changes" \
  > "$tmp/lintian.log" 2>&1 || lintian_rc=$?
sed 's/^/   /' "$tmp/lintian.log"
if grep -q '^E:' "$tmp/lintian.log" || [ "${lintian_rc:-0}" -ne 0 ]; then
  echo "lintian reported errors (exit ${lintian_rc:-0})" >&2; false
fi

say "apt-get install ./*.deb"
# shellcheck disable=SC2086
$SUDO apt-get purge -y -qq $PKGS > /dev/null 2>&1 || true
(cd "$tmp" && $SUDO apt-get install -y -qq ./smsconform_*.deb \
  ./libsmsconform0_*.deb ./libsmsconform-dev_*.deb) > "$tmp/install.log" 2>&1 \
  || { cat "$tmp/install.log"; false; }
dpkg -L smsconform | grep -qx /usr/share/man/man1/smsconform.1.gz
dpkg -L smsconform | grep -qx /usr/share/bash-completion/completions/smsconform

say "/usr/bin/smsconform run --quiet (built-in simulator)"
/usr/bin/smsconform --version
/usr/bin/smsconform --help > "$tmp/help.txt"
grep -q 'run' "$tmp/help.txt"
(cd "$tmp" && /usr/bin/smsconform run --quiet)
man -w smsconform > /dev/null 2>&1 || [ -f /usr/share/man/man1/smsconform.1.gz ]

say "libsmsconform-dev: consumer through pkg-config"
cc -std=c11 -Wall -Wextra -Werror examples/consumer/consumer.c \
  $(pkg-config --cflags --libs smsconform) -o "$tmp/consumer"
out=$("$tmp/consumer")
echo "   $out"
case $out in "PASS ACCESS_BALANCE balance=12.50"*) ;; *) false;; esac

say "libsmsconform-dev: consumer through find_package"
cmake -S examples/consumer -B "$tmp/consumer-cmake" \
  -DCMAKE_C_FLAGS="-Wall -Wextra -Werror" > "$tmp/consumer-cmake.log" \
  && cmake --build "$tmp/consumer-cmake" >> "$tmp/consumer-cmake.log" 2>&1 \
  || { cat "$tmp/consumer-cmake.log"; false; }
out=$("$tmp/consumer-cmake/consumer")
echo "   $out"
case $out in "PASS ACCESS_BALANCE balance=12.50"*) ;; *) false;; esac

step=""
echo "deb-check: PASS (packages built, lintian clean of errors, installed, run)"
