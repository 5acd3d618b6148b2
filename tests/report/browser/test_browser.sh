#!/usr/bin/env bash
# test_browser.sh — the comparison's HTML file in a real browser (Debian's
# chromium, headless): the page runs without a script error or a
# Content-Security-Policy violation, every filter shows the rows it should
# (the filters are read from location.hash), the detail panel shows what a
# hostile endpoint sent as text, and nothing it sent runs. A screenshot is
# taken and checked to be a PNG.
#
# The fixtures: plain.json (an ordinary vendor) and hostile.json (a vendor
# whose bodies, messages, check ids, actions and URLs carry <script>,
# <img onerror>, <svg onload>, </script> and <!--; each payload would set
# data-pwned on <html> if it ever ran).
#
# Usage: test_browser.sh SMSCONFORM OUTDIR
# Exit 0 all passed, 1 a check failed, 77 skipped: chromium is not installed.
set -u

bin=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "SKIP: chromium is not installed (Debian package chromium): the" \
    "HTML comparison was not checked in a browser"
  exit 77
fi

rm -rf "$out"
mkdir -p "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
passed=0
failed=0

ok() {
  echo "PASS: $1"
  passed=$((passed + 1))
}

bad() {
  echo "FAIL: $1"
  failed=$((failed + 1))
}

# The vendor's name is hostile too.
evil='evil"><script>x</script>'
evil_hash='evil%22%3E%3Cscript%3Ex%3C%2Fscript%3E'
if ! "$bin" compare --quiet plain="$here/plain.json" \
  "$evil=$here/hostile.json" --html "$out/compare.html"; then
  echo "FAIL: smsconform compare"
  echo "0 passed, 1 failed"
  exit 1
fi

chrome() {
  timeout 90 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-quic --user-data-dir="$profile" "$@" 2>>"$out/chromium.log"
}

# dom HASH: the page after its script ran, into $out/dom.html
dom() {
  chrome --virtual-time-budget=5000 --dump-dom \
    "file://$out/compare.html#$1" >"$out/dom.html"
}

# The page ran, without an error, a policy violation or a payload.
clean() {
  local what=$1
  if ! grep -q 'data-ready="1"' "$out/dom.html"; then
    bad "$what: the page's script did not run (see $out/chromium.log)"
    return 1
  fi
  if grep -q 'data-errors=' "$out/dom.html"; then
    bad "$what: script error: $(grep -o 'data-error="[^"]*"' "$out/dom.html")"
    return 1
  fi
  if grep -q 'data-csp=' "$out/dom.html"; then
    bad "$what: Content-Security-Policy violation:" \
      "$(grep -o 'data-csp="[^"]*"' "$out/dom.html")"
    return 1
  fi
  if grep -q '<html[^>]* data-pwned=' "$out/dom.html"; then
    bad "$what: a payload ran: $(grep -o '<html[^>]*>' "$out/dom.html")"
    return 1
  fi
  return 0
}

# The matrix rows not hidden, counted in the DOM itself.
visible_rows() {
  grep -o '<tr data-i="[0-9]*"[^>]*>' "$out/dom.html" | grep -vc 'hidden' ||
    true
}

# filter HASH WANT: the filter shows WANT rows, by the page's own count and
# by the DOM's hidden attributes.
filter() {
  local hash=$1 want=$2 shown
  dom "$hash"
  clean "#$hash" || return
  shown=$(grep -o 'data-shown="[0-9]*"' "$out/dom.html" | grep -o '[0-9]*')
  if [ "$shown" = "$want" ] && [ "$(visible_rows)" = "$want" ]; then
    ok "#$hash shows $want rows"
  else
    bad "#$hash shows ${shown:-?} rows (DOM: $(visible_rows)), want $want"
  fi
}

# Seven rows: getStatus (format PF, error PP, error UE), getNumber (FF),
# setStatus (WP), getRentNumber (SU), the hostile action (UW).
filter "" 7
filter "verdict=FAIL" 2
filter "verdict=unsupported" 3
filter "cat=error" 2
filter "action=getStatus" 3
filter "diff=1" 5
filter "vendor=plain&verdict=PASS" 2
filter "vendor=$evil_hash&verdict=ERROR" 1
filter "cat=format&verdict=SKIP" 1
# nonsense in the hash is ignored, not an error
filter "verdict=NOPE&cat=%E0%A4%A&&=&x" 7

# a vendor filter hides the other vendors' cells
dom "vendor=plain"
if clean "#vendor=plain"; then
  n=$(grep -o '<td class="v[A-Z]" hidden=""' "$out/dom.html" | wc -l)
  if [ "$n" = 7 ]; then
    ok "#vendor=plain hides the other vendor's 7 cells"
  else
    bad "#vendor=plain hides $n cells, want 7"
  fi
fi

# the detail panel of the hostile cell: the answer shown as text
dom "detail=format.getStatus&in=$evil_hash"
if clean "detail panel"; then
  panel=$(sed -n '/<aside id="panel"/,/<\/aside>/p' "$out/dom.html")
  if [ -z "$panel" ] || printf '%s' "$panel" | grep -q '<aside id="panel"[^>]* hidden'; then
    bad "the detail panel is not open"
  elif ! printf '%s' "$panel" | grep -q \
    "<pre>&lt;script&gt;document.documentElement.setAttribute('data-pwned','body')&lt;/script&gt;&lt;img src=x"; then
    bad "the panel does not show the hostile body as text"
  elif ! printf '%s' "$panel" | grep -q \
    "&lt;/script&gt;&lt;script&gt;document.documentElement.setAttribute('data-pwned','message')"; then
    bad "the panel does not show the hostile message as text"
  else
    ok "the detail panel shows the injected <script> and <img> as text"
  fi
fi
# nowhere in the page did the payloads become elements
if grep -q -e '<script>document' -e '<img' -e '<svg onload' -e '<b onmouseover' \
  -e '<i>variant' "$out/dom.html"; then
  bad "an element from the endpoint's data is in the DOM"
else
  ok "no element from the endpoint's data in the DOM"
fi

# the hostile check's own panel, reached by its id
dom "detail=error.getStatus.%3Csvg%20onload%3D%22document.documentElement.setAttribute('data-pwned'%2C'id')%22%3E&in=$evil_hash"
if clean "hostile id"; then
  if grep -q '<aside id="panel" data-check="error.getStatus.<svg' \
    "$out/dom.html" || grep -q '<h2>error.getStatus.&lt;svg onload' \
    "$out/dom.html"; then
    ok "a hostile check id opens its panel, as text"
  else
    bad "the hostile check's panel did not open"
  fi
fi

# a picture of it
rm -f "$out/compare.png"
chrome --hide-scrollbars --window-size=1200,900 \
  --screenshot="$out/compare.png" "file://$out/compare.html#verdict=FAIL" \
  >/dev/null
if [ "$(head -c 8 "$out/compare.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" \
  = 89504e470d0a1a0a ]; then
  ok "screenshot $out/compare.png"
else
  bad "no screenshot"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
