#!/usr/bin/env bash
# reports/regen.sh — regenerates reports/dialects.html and reports/dialects.md:
# the reference profile's checks (sms-activate, document 001) run against the
# built-in simulator speaking each of the five documented dialects, compared.
# Each column shows what that vendor's own document promises measured against
# SMS-Activate's protocol; the checks of actions a document does not describe
# are "unsupported". The files are written with --stable (no times, no
# exchanges, no ports), so the same spec and code give the same bytes.
#
# Usage: reports/regen.sh [--check]
#   --check   regenerate into a temporary directory and compare with the
#             committed files: exit 1 (with a diff) when they are not current
# Environment: SMSCONFORM, the binary (default: build/smsconform).
# With chromium installed, reports/dialects.png (the README's picture) is
# taken again as well; --check never touches it.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=${SMSCONFORM:-$here/../build/smsconform}
dialects="sms-activate koalasms smsbulk securesms rest-v1"
check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: reports/regen.sh [--check]" >&2; exit 2 ;;
esac

if [ ! -x "$bin" ]; then
  echo "regen.sh: no smsconform binary at $bin (build it, or set SMSCONFORM)" >&2
  exit 2
fi

out=$here
if [ $check = 1 ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

args=()
for d in $dialects; do
  args+=(--target "$d=sim:$d")
done

# --jobs 1: one check at a time, so the simulator hands out the same ids
# to the same checks in every run; --seed 1: the run's own random ids
# (unknown ids, orderIds) are the same in every run too.
rc=0
"$bin" run --profile sms-activate --jobs 1 --seed 1 --stable --quiet \
  "${args[@]}" \
  --html "$out/dialects.html" --md "$out/dialects.md" || rc=$?
# exit 1 says that a dialect deviates from the reference: that is the finding
if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
  echo "regen.sh: smsconform run failed (exit $rc)" >&2
  exit 2
fi

if [ $check = 1 ]; then
  status=0
  for f in dialects.html dialects.md; do
    if ! cmp -s "$out/$f" "$here/$f"; then
      echo "reports/$f is not current: run reports/regen.sh and commit it"
      diff -u "$here/$f" "$out/$f" | head -60 || true
      status=1
    fi
  done
  [ $status = 0 ] && echo "reports/dialects.html and reports/dialects.md are current"
  exit $status
fi

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$chromium" ]; then
  profile=$(mktemp -d)
  "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-quic --user-data-dir="$profile" --hide-scrollbars \
    --window-size=1280,1700 --screenshot="$here/dialects.png" \
    "file://$here/dialects.html#verdict=FAIL" >/dev/null 2>&1 || true
  rm -rf "$profile"
else
  echo "regen.sh: chromium is not installed: reports/dialects.png left as it is"
fi
echo "wrote $here/dialects.html and $here/dialects.md"
