#!/usr/bin/env bash
# bench/run.sh — every benchmark of bench/README.md, one command
# (`make bench`). Installs what it needs on a fresh Debian machine, builds
# a Release tree with the benchmarks (build-bench), runs them and prints
# each figure next to its baseline measured in the same run, as a ratio,
# with MET or MISSED against its target. Exits non-zero only when a
# benchmark could not run; a missed target is printed, not fatal.
#
# Environment: BENCH_BUILD (build-bench), BENCH_REPS (5: runs per figure,
# the median is reported), BENCH_SECONDS (5: length of one wrk run),
# BENCH_SOAK (1000000: requests of the simulator soak), BENCH_SOAK_LIMIT
# (300: seconds the soak may take at most), BENCH_LATENCIES ("0 50 200":
# the simulator's latencies in ms for the suite against its floor; 0 runs
# all five profiles BENCH_REPS times, the others sms-activate
# BENCH_LATENCY_REPS times, all of them at once), BENCH_LATENCY_REPS (1).
set -u
cd "$(dirname "$0")/.."

BUILD=${BENCH_BUILD:-build-bench}
REPS=${BENCH_REPS:-5}
SECS=${BENCH_SECONDS:-5}
SOAK=${BENCH_SOAK:-1000000}
SOAK_LIMIT=${BENCH_SOAK_LIMIT:-300}
LATENCIES=${BENCH_LATENCIES:-0 50 200}
LAT_REPS=${BENCH_LATENCY_REPS:-1}
PROFILES="sms-activate koalasms smsbulk securesms rest-v1"

die() {
  echo "bench: $*" >&2
  exit 1
}

# ---- what it needs ----------------------------------------------------------
PKGS="wrk nginx-light time curl"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing Debian packages:$missing"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing ||
    die "cannot install$missing"
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || die "no nginx binary"

# ---- build ------------------------------------------------------------------
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DSC_BUILD_BENCH=ON \
  -DSC_BUILD_TESTS=OFF >/dev/null || die "cmake configure failed"
cmake --build "$BUILD" -j 2 >/dev/null || die "build failed"
BIN="$BUILD/smsconform"

TMP=$(mktemp -d /tmp/smsconform-bench.XXXXXX)
SIM_PID=""
NGINX_PID=""
cleanup() {
  [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- helpers ----------------------------------------------------------------
median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) print "nan";
  else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
# the value of key=VALUE in the lines on stdin
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
# verdict VALUE OP TARGET: MET or MISSED
verdict() {
  awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN {
    ok = (op == "<=") ? (v <= t) : (v >= t); print ok ? "MET" : "MISSED" }'
}
# num VALUE WHAT: dies unless VALUE is a number (a figure that is missing)
num() {
  case $1 in
  '' | *[!0-9.]*) die "$2: no figure in the output" ;;
  esac
}
SUMMARY="$TMP/summary"
: >"$SUMMARY"
row() { printf '%-44s %14s %14s %8s %10s  %s\n' "$@" >>"$SUMMARY"; }

# A free TCP port on 127.0.0.1.
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  die "no free port"
}

# Starts `smsconform serve` with two accounts and waits for its port.
start_sim() {
  "$BIN" serve --port 0 --keys bench-k1:1000000,bench-k2:1000000 \
    --stock 1000000 >"$TMP/serve.out" 2>&1 &
  SIM_PID=$!
  for _ in $(seq 1 100); do
    SIM_URL=$(sed -n 's|^handler: \(http://[^/]*\)/.*|\1|p' "$TMP/serve.out")
    [ -n "$SIM_URL" ] && return
    sleep 0.05
  done
  die "smsconform serve did not start: $(cat "$TMP/serve.out")"
}
stop_sim() {
  kill "$SIM_PID" 2>/dev/null
  wait "$SIM_PID" 2>/dev/null
  SIM_PID=""
}

# nginx answering a constant body on a loopback port, configured in $TMP.
start_nginx() {
  NGINX_PORT=$(free_port)
  mkdir -p "$TMP/nginx/logs" "$TMP/nginx/tmp"
  cat >"$TMP/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 2;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/tmp;
  proxy_temp_path $TMP/nginx/tmp;
  fastcgi_temp_path $TMP/nginx/tmp;
  uwsgi_temp_path $TMP/nginx/tmp;
  scgi_temp_path $TMP/nginx/tmp;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    default_type text/plain;
    location / { return 200 "ACCESS_BALANCE:100.00"; }
  }
}
EOF
  "$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" \
    >"$TMP/nginx/out.log" 2>&1 &
  NGINX_PID=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$NGINX_PORT/" >/dev/null 2>&1 && return
    sleep 0.05
  done
  die "nginx did not start: $(cat "$TMP/nginx/out.log" "$TMP/nginx/logs/error.log" 2>/dev/null)"
}

# wrk_run URL [SCRIPT]: prints "rps p99_ms requests" of one run.
wrk_run() {
  local out
  if [ $# -gt 1 ]; then
    out=$(BENCH_KEYS=bench-k1,bench-k2 wrk -t2 -c32 -d"${SECS}s" --latency \
      -s "$2" "$1") || die "wrk failed on $1"
  else
    out=$(wrk -t2 -c32 -d"${SECS}s" --latency "$1") || die "wrk failed on $1"
  fi
  echo "$out" | awk '
    /^ +99%/ { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
               p99 = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : v }
    /requests in/ { n = $1 }
    /^Requests\/sec:/ { r = $2 }
    END { printf "%s %s %s\n", r, p99, n }'
}

echo "smsconform benchmarks: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $REPS runs per figure (medians), $LAT_REPS per latency"
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo

# ---- 1. suite wall time vs the request floor --------------------------------
for lat in $LATENCIES; do
  [ "$lat" -eq 0 ] || continue
  echo "== suite vs request floor, no latency (bench_suite)"
  "$BUILD/bench/bench_suite" --reps "$REPS" $PROFILES | tee "$TMP/suite" ||
    die "bench_suite failed"
  for p in $PROFILES; do
    l=$(grep " profile=$p " "$TMP/suite")
    s=$(echo "$l" | field suite_s)
    f=$(echo "$l" | field floor_s)
    r=$(echo "$l" | field ratio)
    row "suite/floor $p ($(echo "$l" | field requests) req)" "${s} s" "${f} s" \
      "${r}x" "<= 1.5x" "$(verdict "$r" "<=" 1.5)"
  done
  total=$(field suite_s <"$TMP/suite" | awk '{t += $1} END {printf "%.3f", t}')
  main=$(grep " profile=sms-activate " "$TMP/suite" | field suite_s)
  row "default suite (sms-activate) wall time" "${main} s" "-" "-" "< 2 s" \
    "$(verdict "$main" "<=" 2)"
  row "all five profiles, wall time" "${total} s" "-" "-" "(info)" ""
done

# ---- 1b. the suite against a slow endpoint -----------------------------------
# Every latency at once: the runs wait on the simulator, not on a core.
slow=""
for lat in $LATENCIES; do
  [ "$lat" -gt 0 ] && slow="$slow $lat"
done
if [ -n "$slow" ]; then
  echo
  echo "== suite vs request floor at latency$slow ms, sms-activate (bench_suite --latency, together)"
  pids=""
  for lat in $slow; do
    "$BUILD/bench/bench_suite" --reps "$LAT_REPS" --latency "$lat" \
      sms-activate >"$TMP/lat_$lat" 2>"$TMP/lat_$lat.err" &
    pids="$pids $!"
  done
  for pid in $pids; do
    wait "$pid" || die "bench_suite --latency failed: $(cat "$TMP"/lat_*.err)"
  done
  for lat in $slow; do
    cat "$TMP/lat_$lat" "$TMP/lat_$lat.err"
    l=$(cat "$TMP/lat_$lat")
    s=$(echo "$l" | field suite_s)
    f=$(echo "$l" | field floor_s)
    b=$(echo "$l" | field bound_s)
    r=$(echo "$l" | field ratio)
    num "$r" "bench_suite --latency $lat"
    case $lat in
    50) tgt=1.3 ;;
    200) tgt=1.2 ;;
    *) tgt="" ;;
    esac
    if [ -n "$tgt" ]; then
      row "suite/floor sms-activate @${lat} ms" "${s} s" "${f} s" "${r}x" \
        "<= ${tgt}x" "$(verdict "$r" "<=" "$tgt")"
    else
      row "suite/floor sms-activate @${lat} ms" "${s} s" "${f} s" "${r}x" \
        "(info)" ""
    fi
    row "  floor/bound @${lat} ms" "${f} s" "${b} s" "$(ratio "$f" "$b")x" \
      "(info)" ""
    [ "$lat" -eq 50 ] && row "full run sms-activate @50 ms wall time" \
      "${s} s" "-" "-" "< 20 s" "$(verdict "$s" "<=" 20)"
  done
fi

# ---- 1c. what a run costs: requests and purchases per tier ------------------
echo
echo "== requests and purchases per tier, with and without control (bench_suite --cost)"
"$BUILD/bench/bench_suite" --cost sms-activate | tee "$TMP/cost" ||
  die "bench_suite --cost failed"
# cost_of TIER CONTROL KEY: the figure of that combination
cost_of() { grep " tier=$1 control=$2 " "$TMP/cost" | field "$3"; }
for t in smoke full; do
  for c in yes no; do
    for k in requests purchases numbers released used left_active spent; do
      num "$(cost_of $t $c $k)" "bench_suite --cost ($t, control $c) $k"
    done
  done
done
printf '%-6s %-8s %9s %10s %8s %9s %5s %12s %8s\n' tier control requests \
  purchases numbers released used left_active spent
for t in smoke full; do
  for c in yes no; do
    printf '%-6s %-8s %9s %10s %8s %9s %5s %12s %8s\n' "$t" "$c" \
      "$(cost_of $t $c requests)" "$(cost_of $t $c purchases)" \
      "$(cost_of $t $c numbers)" \
      "$(cost_of $t $c released)" "$(cost_of $t $c used)" \
      "$(cost_of $t $c left_active)" "$(cost_of $t $c spent)"
  done
done
for c in yes no; do
  w=$([ $c = yes ] && echo "with" || echo "without")
  v=$(cost_of smoke $c requests)
  row "smoke tier $w control: requests" "$v" "-" "-" "<= 60" \
    "$(verdict "$v" "<=" 60)"
  v=$(cost_of smoke $c purchases)
  row "smoke tier $w control: purchases" "$v" "-" "-" "<= 2" \
    "$(verdict "$v" "<=" 2)"
done
v=$(cost_of full no numbers)
row "full run without control: numbers bought" "$v" "-" "-" "<= 40" \
  "$(verdict "$v" "<=" 40)"
row "full run without control: purchases (mailboxes too)" \
  "$(cost_of full no purchases)" "-" "-" "(info)" ""
row "full run without control: left active" "$(cost_of full no left_active)" \
  "-" "-" "(info)" ""

# ---- 2. memory: peak RSS of a full run --------------------------------------
echo
echo "== peak RSS of a full run (/usr/bin/time)"
peak=0
for p in $PROFILES; do
  /usr/bin/time -f "%M" -o "$TMP/rss" "$BIN" run --quiet --profile "$p" \
    >/dev/null 2>&1
  rc=$?
  [ $rc -le 1 ] || die "smsconform run --profile $p exited $rc"
  kb=$(tail -1 "$TMP/rss")
  echo "run --profile $p: peak RSS $kb KiB"
  [ "$kb" -gt "$peak" ] && peak=$kb
done
peak_mb=$(awk -v k="$peak" 'BEGIN {printf "%.1f", k / 1024}')
row "peak RSS of a full run (largest profile)" "${peak_mb} MiB" "-" "-" \
  "< 32 MiB" "$(verdict "$peak_mb" "<=" 32)"

# ---- 3. parser throughput vs cJSON ------------------------------------------
echo
echo "== parser vs cJSON (bench_parse, per core)"
"$BUILD/bench/bench_parse" --reps "$REPS" | tee "$TMP/parse" ||
  die "bench_parse failed"
while read -r l; do
  g=$(echo "$l" | field group)
  if echo "$l" | grep -q cjson_resp_s; then
    r=$(echo "$l" | field ratio)
    row "JSON $g: sc_parse vs bare cJSON" \
      "$(echo "$l" | field sc_mb_s) MB/s" "$(echo "$l" | field cjson_mb_s) MB/s" \
      "${r}x" ">= 0.8x" "$(verdict "$r" ">=" 0.8)"
  else
    rs=$(echo "$l" | field sc_resp_s)
    m=$(awk -v r="$rs" 'BEGIN {printf "%.2f", r / 1e6}')
    row "text $g: responses/s per core" "${m} M/s" "-" "-" ">= 10 M/s" \
      "$(verdict "$m" ">=" 10)"
  fi
done <"$TMP/parse"

# ---- 4. the simulator's catalogue at scale -----------------------------------
echo
echo "== catalogue 200 x 500: load, getPrices, sc_parse vs cJSON (bench_catalogue)"
"$BUILD/bench/bench_catalogue" --reps "$REPS" | tee "$TMP/catalogue" ||
  die "bench_catalogue failed"
l=$(cat "$TMP/catalogue")
lm=$(echo "$l" | field load_ms)
row "catalogue 200x500: load (sc_sim_new)" "${lm} ms" "-" "-" "< 1000 ms" \
  "$(verdict "$lm" "<=" 1000)"
r=$(echo "$l" | field ratio)
row "JSON getPrices 200x500: sc_parse vs cJSON" \
  "$(echo "$l" | field sc_mb_s) MB/s" "$(echo "$l" | field cjson_mb_s) MB/s" \
  "${r}x" ">= 0.8x" "$(verdict "$r" ">=" 0.8)"

# ---- 5. simulator vs nginx (wrk) --------------------------------------------
echo
echo "== simulator vs nginx (wrk -t2 -c32 -d${SECS}s, alternating)"
start_nginx
start_sim
: >"$TMP/w_ngx"
: >"$TMP/w_bal"
: >"$TMP/w_mix"
for i in $(seq 1 "$REPS"); do
  wrk_run "http://127.0.0.1:$NGINX_PORT/stubs/handler_api.php?api_key=bench-k1&action=getBalance" >>"$TMP/w_ngx"
  wrk_run "$SIM_URL/stubs/handler_api.php?api_key=bench-k1&action=getBalance" >>"$TMP/w_bal"
  wrk_run "$SIM_URL" bench/mix.lua >>"$TMP/w_mix"
  echo "run $i: nginx $(tail -1 "$TMP/w_ngx" | cut -d' ' -f1)/s, getBalance $(tail -1 "$TMP/w_bal" | cut -d' ' -f1)/s, mix $(tail -1 "$TMP/w_mix" | cut -d' ' -f1)/s"
done
stop_sim
ngx=$(cut -d' ' -f1 "$TMP/w_ngx" | median)
bal=$(cut -d' ' -f1 "$TMP/w_bal" | median)
mix=$(cut -d' ' -f1 "$TMP/w_mix" | median)
ngx99=$(cut -d' ' -f2 "$TMP/w_ngx" | median)
bal99=$(cut -d' ' -f2 "$TMP/w_bal" | median)
mix99=$(cut -d' ' -f2 "$TMP/w_mix" | median)
r=$(ratio "$bal" "$ngx")
row "serve getBalance vs nginx constant (req/s)" "$bal" "$ngx" "${r}x" \
  ">= 0.5x" "$(verdict "$r" ">=" 0.5)"
r=$(ratio "$mix" "$ngx")
row "serve buy/status/cancel mix vs nginx" "$mix" "$ngx" "${r}x" \
  ">= 0.25x" "$(verdict "$r" ">=" 0.25)"
row "p99 latency getBalance / mix / nginx" "${bal99}/${mix99}" "${ngx99} ms" \
  "-" "(report)" ""

# ---- 6. memory: simulator soak ----------------------------------------------
echo
echo "== simulator soak: the mix, RSS after 10 thousand and after $SOAK requests"
start_sim
pid=$SIM_PID
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
hwm() { awk '/^VmHWM:/ {print $2}' "/proc/$pid/status"; }
done_n=0
soak_t0=$(date +%s)
# warm-up to at least 10 thousand requests in short runs
while [ "$done_n" -lt 10000 ]; do
  n=$(BENCH_KEYS=bench-k1,bench-k2 wrk -t2 -c32 -d1s -s bench/mix.lua "$SIM_URL" |
    awk '/requests in/ {print $1}')
  [ -n "$n" ] || die "wrk failed during the soak"
  done_n=$((done_n + n))
done
rss10k=$(rss)
echo "after $done_n requests: VmRSS $rss10k KiB, VmHWM $(hwm) KiB"
while [ "$done_n" -lt "$SOAK" ] && [ $(($(date +%s) - soak_t0)) -lt "$SOAK_LIMIT" ]; do
  n=$(BENCH_KEYS=bench-k1,bench-k2 wrk -t2 -c32 -d10s -s bench/mix.lua "$SIM_URL" |
    awk '/requests in/ {print $1}')
  [ -n "$n" ] || die "wrk failed during the soak"
  done_n=$((done_n + n))
done
rss1m=$(rss)
echo "after $done_n requests: VmRSS $rss1m KiB, VmHWM $(hwm) KiB"
stop_sim
r=$(ratio "$rss1m" "$rss10k")
row "serve RSS after $done_n vs after 10k req" "${rss1m} KiB" "${rss10k} KiB" \
  "${r}x" "<= 1.10x" "$(verdict "$r" "<=" 1.10)"
[ "$done_n" -ge "$SOAK" ] || row "  (the soak stopped at its time limit)" "" "" "" "" ""

# ---- summary ----------------------------------------------------------------
echo
printf '%-44s %14s %14s %8s %10s  %s\n' "benchmark" "measured" "baseline" \
  "ratio" "target" ""
cat "$SUMMARY"
n_missed=$(grep -c ' MISSED$' "$SUMMARY")
echo
if [ "$n_missed" -gt 0 ]; then
  echo "MISSED: $n_missed target(s) (see bench/README.md)"
else
  echo "all targets met"
fi
exit 0
