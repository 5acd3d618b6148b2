#!/usr/bin/env bash
# ci/layers.sh — the parts depend on one another in one direction only
# (ARCHITECTURE.md): no object of a part calls a function another part
# defines unless that part is below it, and the three circles that once
# tied parts together stay cut (the engine and the check catalogue, the
# simulator's core and its modules, the parser and the schema matcher).
# Reads the objects of a built tree with nm.
#
# Usage: ci/layers.sh [BUILD_DIR]   (default: build)
set -euo pipefail
b=${1:-build}
objs() { find "$b/$1" -name '*.o' -path "*$2*" 2>/dev/null; }
defined() { for o in "$@"; do nm "$o" | awk '$2=="T"{print $3}'; done | sort -u; }
used() { for o in "$@"; do nm "$o" | awk '$1=="U"{print $2}'; done | sort -u; }

fail=0
# check NAME "objects that must not call" "objects defining what they must not call"
check() {
  local name=$1 from=$2 to=$3
  local bad
  bad=$(comm -12 <(used $from) <(defined $to) || true)
  if [ -n "$bad" ]; then
    echo "ci/layers.sh: $name:" $bad >&2
    fail=1
  else
    echo "ok: $name"
  fi
}

lib=$(objs lib smsconform_parse.dir)
sim=$(objs src/sim smsconform_sim.dir)
report=$(objs src/report smsconform_report.dir)
engine=$(objs src/engine smsconform_engine.dir)
checks=$(objs src/checks smsconform_checks.dir)
cli=$(objs src/cli smsconform.dir)
for v in lib sim report engine checks cli; do
  if [ -z "${!v}" ]; then
    echo "ci/layers.sh: no objects of $v under $b (build it first)" >&2
    exit 2
  fi
done

check "the library calls none of the tool's parts" "$lib" "$sim $report $engine $checks $cli"
check "the simulator calls no runner part" "$sim" "$report $engine $checks $cli"
check "the reports call no runner part" "$report" "$sim $engine $checks $cli"
check "the engine calls no check, simulator or CLI" "$engine" "$sim $checks $cli"
check "the checks call no simulator or CLI" "$checks" "$sim $cli"
core=$(objs src/sim sc_sim.c.o)
modules=$(echo "$sim" | tr ' ' '\n' | grep -v '/sc_sim.c.o$')
check "the simulator's modules do not call its core" "$modules" "$core"
check "the schema matcher does not call the parser" \
  "$(objs lib sc_schema.c.o)" "$(objs lib sc_parse.c.o)"
exit $fail
