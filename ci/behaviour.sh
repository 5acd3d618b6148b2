#!/usr/bin/env bash
# ci/behaviour.sh — what a build does, written so that two builds can be
# compared line by line: for every built-in profile, the planned checks
# (`list checks --json`) and a full run against the built-in simulator
# speaking that profile, one check at a time (--jobs 1), each check as
# "id verdict cause blocked_by requests", and the run's request total.
# A change that is meant to keep behaviour gives the same output before and
# after:
#
#   ci/behaviour.sh OLD/smsconform > before.txt
#   ci/behaviour.sh NEW/smsconform > after.txt
#   diff before.txt after.txt
#
# Usage: ci/behaviour.sh [BINARY] [PROFILE...]
set -euo pipefail
bin=${1:-build/smsconform}
shift || true
profiles=${*:-sms-activate koalasms smsbulk securesms rest-v1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for p in $profiles; do
  "$bin" list checks --json --profile "$p" > "$tmp/list.json"
  python3 - "$p" "$tmp/list.json" <<'PY'
import json, sys
checks = json.load(open(sys.argv[2]))
if isinstance(checks, dict):
    checks = checks.get("checks", checks)
print("== %s: %d planned checks" % (sys.argv[1], len(checks)))
for c in checks:
    print("plan", json.dumps(c, sort_keys=True))
PY
  rc=0
  "$bin" run --profile "$p" --jobs 1 --quiet --json "$tmp/run.json" || rc=$?
  python3 - "$p" "$tmp/run.json" "$rc" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))
print("== %s: exit %s, %d requests, counts %s" % (
    sys.argv[1], sys.argv[3], r["requests"],
    json.dumps(r["counts"], sort_keys=True)))
for c in r["results"]:
    print("run", c["id"], c["verdict"], repr(c.get("cause")),
          c.get("blocked_by"), len(c.get("exchanges") or []))
PY
done
