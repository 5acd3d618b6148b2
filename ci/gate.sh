#!/usr/bin/env bash
# The conformance gate: the logic of action.yml, runnable anywhere (a
# GitHub runner, another CI, a shell).
#
# Every input is an environment variable; the script takes no arguments:
#
#   SC_BIN          the smsconform binary (default: smsconform on PATH,
#                   else build/smsconform of this repository)
#   SC_URL          the handler URL (.../stubs/handler_api.php, or the REST
#                   base for rest-v1); empty: the built-in simulator
#   SC_CONTROL      the sandbox control URL, if the target serves one
#   SC_PROFILE      the dialect, or a profile file (default sms-activate)
#   SC_TIER         smoke or full (default full)
#   SC_BASELINE     a baseline file of accepted failures: they are reported
#                   but do not fail the gate, so only regressions do
#   SC_REPORT_DIR   where junit.xml, report.{json,tap,md,html} go
#                   (default smsconform-reports)
#   SC_MAX_SPEND    money the run may spend (default 0: nothing is bought)
#   SC_ACTIONS      the actions the endpoint implements (A,B,...), optional
#   SMSCONFORM_KEY  the API key; required with SC_URL. Only ever read from
#                   the environment: never pass it on a command line
#   SMSCONFORM_KEY2 a second account's key, for the isolation checks
#   GITHUB_STEP_SUMMARY  when set, the Markdown report is appended to it
#   GITHUB_OUTPUT   when set, exit-code and report-dir are written to it
#
# Exit codes are smsconform's: 0 pass, 1 a FAIL (with a baseline: a FAIL
# the baseline does not accept), 2 a usage error (here or in smsconform),
# 3 the endpoint is unreachable.
set -uo pipefail
set +x # the key is in the environment: never trace

die() {
  echo "ci/gate.sh: $*" >&2
  exit 2
}

# The key is read from SMSCONFORM_KEY only. Arguments are refused, so a
# key cannot end up in argv (visible in ps and in CI logs).
if [ $# -gt 0 ]; then
  case "$*" in
    *key*|*KEY*)
      die "refusing arguments: the key is read from the environment" \
          "variable SMSCONFORM_KEY only (in the action: the key input" \
          "from a secret), never from a command line" ;;
    *)
      die "takes no arguments; set the SC_* environment variables" \
          "(see the top of ci/gate.sh)" ;;
  esac
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
url="${SC_URL:-}"
control="${SC_CONTROL:-}"
profile="${SC_PROFILE:-sms-activate}"
tier="${SC_TIER:-full}"
baseline="${SC_BASELINE:-}"
report_dir="${SC_REPORT_DIR:-smsconform-reports}"
max_spend="${SC_MAX_SPEND:-}"
actions="${SC_ACTIONS:-}"
key="${SMSCONFORM_KEY:-}"

bin="${SC_BIN:-}"
if [ -z "$bin" ]; then
  if command -v smsconform >/dev/null 2>&1; then
    bin="$(command -v smsconform)"
  else
    bin="$ROOT/build/smsconform"
  fi
fi
[ -x "$bin" ] || die "SC_BIN: no smsconform binary at '$bin' (build it," \
  "or set SC_BIN to its path)"

# A URL: http(s), no whitespace, and no key in it (a key in a URL is
# printed in logs and reports; the key input is the one way in).
check_url() { # name value
  case "$2" in
    http://*|https://*) ;;
    *) die "$1: '$2' is not an http:// or https:// URL" ;;
  esac
  case "$2" in
    *[[:space:]]*) die "$1: the URL contains whitespace" ;;
  esac
  case "$2" in
    *api_key=*|*apiKey=*|*api-key=*)
      die "$1: the URL carries an API key; give the key through" \
          "SMSCONFORM_KEY (the action's key input) instead" ;;
  esac
  if [ -n "$key" ] && [[ "$2" == *"$key"* ]]; then
    die "$1: the URL contains the key; give the key through" \
        "SMSCONFORM_KEY only"
  fi
}

if [ -n "$url" ]; then
  check_url SC_URL "$url"
  [ -n "$key" ] || die "SMSCONFORM_KEY is empty: a target URL needs its" \
    "API key (in the action: key: \${{ secrets.NAME }}; GitHub gives no" \
    "secrets to workflows started from forks)"
fi
if [ -n "$control" ]; then
  [ -n "$url" ] || die "SC_CONTROL needs SC_URL (without a URL the" \
    "built-in simulator is used, with its own control endpoint)"
  check_url SC_CONTROL "$control"
fi
case "$tier" in
  smoke|full) ;;
  *) die "SC_TIER: '$tier' is neither smoke nor full" ;;
esac
[ -n "$profile" ] || die "SC_PROFILE is empty"
case "$profile" in
  -*) die "SC_PROFILE: '$profile' is not a profile name or file" ;;
esac
if [ -n "$baseline" ]; then
  [ -f "$baseline" ] && [ -r "$baseline" ] || die "SC_BASELINE: no" \
    "readable file '$baseline' (make one with: smsconform run ..." \
    "--baseline '$baseline' --update-baseline, and commit it)"
fi
if [ -n "$max_spend" ]; then
  [[ "$max_spend" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "SC_MAX_SPEND:" \
    "'$max_spend' is not an amount (digits, optionally a decimal point)"
fi
if [ -n "$actions" ]; then
  [[ "$actions" =~ ^[A-Za-z0-9_]+(,[A-Za-z0-9_]+)*$ ]] || die \
    "SC_ACTIONS: '$actions' is not a comma-separated list of action names"
fi
[ -n "$report_dir" ] || die "SC_REPORT_DIR is empty"
mkdir -p "$report_dir" || die "SC_REPORT_DIR: cannot create '$report_dir'"

# On GitHub, mask the key in the log even when it does not come from a
# secret (GitHub masks secrets already).
if [ -n "$key" ] && [ "${GITHUB_ACTIONS:-}" = true ]; then
  echo "::add-mask::$key"
fi

args=(run --profile "$profile" --tier "$tier" --report-dir "$report_dir")
[ -n "$url" ] && args+=(--url "$url")
[ -n "$control" ] && args+=(--control "$control")
[ -n "$baseline" ] && args+=(--baseline "$baseline")
[ -n "$max_spend" ] && args+=(--max-spend "$max_spend")
[ -n "$actions" ] && args+=(--actions "$actions")

echo "ci/gate.sh: $bin ${args[*]}"
[ -n "$url" ] || echo "ci/gate.sh: no URL: checking the built-in simulator"
"$bin" "${args[@]}"
rc=$?

# The job summary (GitHub caps a step's summary at 1 MiB).
md="$report_dir/report.md"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  if [ -f "$md" ]; then
    limit=1000000
    if [ "$(wc -c < "$md")" -gt "$limit" ]; then
      head -c "$limit" "$md" >> "$GITHUB_STEP_SUMMARY"
      printf '\n\n*(report truncated; the whole report is in the' \
        >> "$GITHUB_STEP_SUMMARY"
      printf ' artifact)*\n' >> "$GITHUB_STEP_SUMMARY"
    else
      cat "$md" >> "$GITHUB_STEP_SUMMARY"
    fi
  else
    printf '## smsconform: no report (exit %s)\n\nSee the job log.\n' \
      "$rc" >> "$GITHUB_STEP_SUMMARY"
  fi
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  printf 'exit-code=%s\nreport-dir=%s\n' "$rc" "$report_dir" \
    >> "$GITHUB_OUTPUT"
fi

case "$rc" in
  0) echo "ci/gate.sh: pass" ;;
  1) if [ -n "$baseline" ]; then
       echo "ci/gate.sh: FAIL: failures the baseline $baseline does not accept"
     else
       echo "ci/gate.sh: FAIL"
     fi ;;
  2) echo "ci/gate.sh: usage error (see above)" ;;
  3) echo "ci/gate.sh: the endpoint is unreachable" ;;
esac
echo "ci/gate.sh: reports in $report_dir/"
exit "$rc"
