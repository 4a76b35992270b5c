#!/usr/bin/env bash
# HTTP benchmark of gradebook-service: warm (cached) vs cold (cache disabled) GET /sections/{id} for 40 x 80
# sections in 6 groups, in the same run, with wrk, through nginx (the suite's own config,
# nginx/apiary.conf.template, rendered once per instance: one nginx in front of the warm instance, one in front of
# the cold one). Needs JDK 25, Maven, redis-server, nginx, wrk; for LEGACY=rails also ruby, puma,
# ruby-activerecord, ruby-sqlite3 (Debian packages).
# Usage: bench/gradebook/run-http.sh [duration, default 15s]
# Env:
#   LEGACY=rails (default)  the upstream is a Rails-like stand-in (legacy-rails/: ActiveRecord on SQLite, Puma with
#                           LEGACY_WORKERS x LEGACY_THREADS, default 2 x 3 as a Rails app on 2 cores is configured),
#                           serving 30 generated sections from its database: what the legacy app really does per read
#   LEGACY=stub             the upstream serves pre-rendered JSON from memory (LegacyStub), plus LEGACY_LATENCY_MS
#                           (default 0): an upstream far faster than any Rails app, the worst case for the ratio
#   CONNECTIONS (default 16), PACED_CONNECTIONS (default 26), JAVA_OPTS (the services' JVM flags)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$here/../.." && pwd)"
log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
# shellcheck source=../../scripts/suite.sh
. "$ROOT/scripts/suite.sh"      # render_template, free_port: the suite's nginx config, not a copy of it

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java" -version 2>&1 | grep -q 'version "2[5-9]' || die "needs JDK 25+ (set JAVA_HOME)"
for t in redis-server wrk curl python3; do command -v "$t" >/dev/null || die "missing: $t"; done
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || die "missing: nginx"
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
LEGACY=${LEGACY:-rails}
if [ "$LEGACY" = rails ]; then
  for t in ruby puma; do command -v "$t" >/dev/null || die "missing: $t (apt-get install ruby puma ruby-activerecord ruby-sqlite3)"; done
fi
dur="${1:-15s}"
c="${CONNECTIONS:-16}"
# the services' flags as deployed: deploy/jvm/gradebook-service.args (a fixed G1 heap: see RESULTS-gradebook.md)
JAVA_OPTS=${JAVA_OPTS:-"@$ROOT/deploy/jvm/gradebook-service.args"}
out="$here/target/http"
work=$(mktemp -d)
mkdir -p "$out"

pids=()
nginx_prefixes=()
cleanup() {
  local p
  for p in "${nginx_prefixes[@]}"; do "$nginx_bin" -p "$p" -c "$p/nginx.conf" -e "$p/error.log" -s stop 2>/dev/null || true; done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$ROOT" && mvn -B -ntp -q -N install && mvn -B -ntp -q -pl common install -DskipTests \
  && mvn -B -ntp -q -pl gradebook-service package -DskipTests -Dgradebook.ui.skip=true)
mvn -B -ntp -q -f "$here/pom.xml" package -DskipTests

port() { free_port; printf -v "$1" '%s' "$REPLY"; }   # the suite's free_port answers in REPLY
port redis_port; port legacy_port; port warm_port; port cold_port; port nginx_warm; port nginx_cold; port unused
redis-server --port "$redis_port" --save '' --appendonly no >"$out/redis.log" 2>&1 & pids+=($!)

if [ "$LEGACY" = rails ]; then
  "$java" -cp "$here/target/gradebook-bench.jar" dev.apiary.bench.gradebook.LegacyStub --dump "$work/sections" 30 40 80
  LEGACY_DB="$work/legacy.sqlite3" ruby "$here/legacy-rails/seed.rb" "$work/sections" >&2
  (cd "$here/legacy-rails" && LEGACY_DB="$work/legacy.sqlite3" exec puma -w "${LEGACY_WORKERS:-2}" \
     -t "${LEGACY_THREADS:-3}:${LEGACY_THREADS:-3}" -b "tcp://127.0.0.1:$legacy_port" config.ru) >"$out/legacy.log" 2>&1 &
  pids+=($!)
  legacy_desc="Rails-like stand-in (ActiveRecord $(ruby -e 'require "active_record"; print ActiveRecord::VERSION::STRING') on SQLite, Puma ${LEGACY_WORKERS:-2} workers x ${LEGACY_THREADS:-3} threads)"
else
  "$java" -cp "$here/target/gradebook-bench.jar" dev.apiary.bench.gradebook.LegacyStub "$legacy_port" 40 80 \
    "${LEGACY_LATENCY_MS:-0}" >"$out/legacy.log" 2>&1 & pids+=($!)
  legacy_desc="LegacyStub (pre-rendered JSON from memory) + ${LEGACY_LATENCY_MS:-0} ms latency per read"
fi

start_service() { # port cache-enabled
  # shellcheck disable=SC2086
  "$java" $JAVA_OPTS -jar "$ROOT/gradebook-service/target/gradebook-service.jar" \
    --apiary.dev-mode=true --server.port="$1" --spring.data.redis.port="$redis_port" \
    --apiary.gradebook.legacy-base-url="http://127.0.0.1:$legacy_port" --apiary.gradebook.read-timeout=30s \
    --apiary.gradebook.cache-enabled="$2" --logging.level.root=warn >"$out/service-$1.log" 2>&1 &
  pids+=($!)
}
start_service "$warm_port" true
start_service "$cold_port" false

start_nginx() { # listen-port service-port
  NGX_PREFIX="$work/nginx-$1"; mkdir -p "$NGX_PREFIX/tmp"
  NGX_USER=""; [ "$(id -u)" -eq 0 ] && NGX_USER="user root;"
  NGX_ERROR_LOG="$NGX_PREFIX/error.log"; NGX_ACCESS_LOG="$NGX_PREFIX/access.log"; NGX_LISTEN="127.0.0.1:$1"
  NGX_PDF=$unused NGX_ALERT=$unused NGX_GRADEBOOK=$2 NGX_LEGACY=$legacy_port NGX_PDF_DIR="$work"
  render_template "$NGX_PREFIX/nginx.conf"
  "$nginx_bin" -p "$NGX_PREFIX" -c "$NGX_PREFIX/nginx.conf" -e "$NGX_PREFIX/error.log"
  nginx_prefixes+=("$NGX_PREFIX")
}
start_nginx "$nginx_warm" "$warm_port"
start_nginx "$nginx_cold" "$cold_port"

for p in "$warm_port" "$cold_port"; do
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$p/actuator/health" >/dev/null && break; sleep 0.5; done
done
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$legacy_port/api/v1/sections/1/gradebook" >/dev/null && break; sleep 0.5; done

api() { curl -sf -H 'Authorization: Bearer dev-key' "http://127.0.0.1:$1/api/gradebook/v1/sections/$2"; }
# both paths must compute the same grades from the same upstream data
python3 - "$(api "$nginx_warm" 1)" "$(api "$nginx_cold" 1)" <<'PY' || die "warm and cold answers differ"
import json, sys
a, b = (json.loads(x) for x in sys.argv[1:3])
assert a["students"] == b["students"] and a["assignments"] == b["assignments"], "grades differ"
PY
# warm up both JVMs and fill the warm cache (30 sections)
for i in $(seq 1 30); do api "$nginx_warm" "$i" >/dev/null; done
size=$(api "$nginx_warm" 1 | wc -c)
size_scores=$(api "$nginx_warm" "1?scores=true" | wc -c)
# the JIT needs well over a minute on 2 shared cores (CPU per section read falls from ~1,000 to ~550 µs): warm each
# shape of the warm path for 30 s, as a long-running service is warm
SECTIONS=30 wrk -t2 -c"$c" -d30s -s "$here/sections.lua" "http://127.0.0.1:$nginx_warm" >/dev/null
SECTIONS=30 QUERY="?scores=true" wrk -t2 -c"$c" -d30s -s "$here/sections.lua" "http://127.0.0.1:$nginx_warm" >/dev/null
SECTIONS=30 STUDENT=1 wrk -t2 -c"$c" -d30s -s "$here/sections.lua" "http://127.0.0.1:$nginx_warm" >/dev/null
SECTIONS=30 wrk -t2 -c"$c" -d5s --timeout 30s -s "$here/sections.lua" "http://127.0.0.1:$nginx_cold" >/dev/null

# waits until the legacy stand-in has drained what a cold run left queued (a direct read answers in under 0.6 s
# again), so no later run pays for it
drain() {
  local i t
  for i in $(seq 1 120); do
    t=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$legacy_port/api/v1/sections/1/gradebook" || echo 99)
    python3 -c "import sys; sys.exit(0 if float('$t') < 0.6 else 1)" && return 0
    sleep 1
  done
  log "legacy stand-in still busy after 2 minutes"
}
run() { # name port connections [student] [query]
  SECTIONS=30 STUDENT="${4:-0}" QUERY="${5:-}" DELAY_MS="${DELAY_MS:-0}" \
    wrk -t2 -c"$3" -d"$dur" --timeout 30s --latency -s "$here/sections.lua" "http://127.0.0.1:$2" | tee "$out/$1.txt"
}
load0=$(cut -d' ' -f1-3 /proc/loadavg)
legacy_reads0=$( [ "$LEGACY" = stub ] && curl -s "http://127.0.0.1:$legacy_port/stats" || echo "-")
drain
# every warm measurement first: when wrk stops a cold run, the legacy stand-in still works through the requests
# queued behind it for seconds, and that CPU must not land in a warm run's latencies
run warm "$nginx_warm" "$c"
run warm-scores "$nginx_warm" "$c" 0 "?scores=true"
run warm-student "$nginx_warm" "$c" 1
# paced: PACED_CONNECTIONS (default 26) connections, each waiting 10 ms after every answer: a little over 2,000 req/s
# at ~2 ms latency (target: warm p99 <= 10 ms at 2,000 req/s); wrk is closed-loop, so the achieved rate is printed
# next to the latency
pc=${PACED_CONNECTIONS:-26}
DELAY_MS=10 run warm-paced "$nginx_warm" "$pc" 0
DELAY_MS=10 run warm-scores-paced "$nginx_warm" "$pc" 0 "?scores=true"
DELAY_MS=10 run warm-student-paced "$nginx_warm" "$pc" 1
# the cold runs, each after a drain
drain; run cold "$nginx_cold" "$c"
drain; run cold-scores "$nginx_cold" "$c" 0 "?scores=true"
drain; run cold-student "$nginx_cold" "$c" 1
load1=$(cut -d' ' -f1-3 /proc/loadavg)

rps() { grep 'Requests/sec' "$out/$1.txt" | awk '{print $2}'; }
pct() { grep -E "^ +$2%" "$out/$1.txt" | awk '{print $2}'; }
errs() { grep -E 'Non-2xx|Socket errors' "$out/$1.txt" | tr -s ' ' | paste -sd ';' - || true; }
summary="$out/summary-$LEGACY${LEGACY_LATENCY_MS:+-$LEGACY_LATENCY_MS}.txt"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/Model name: *//p'), load avg before $load0, after $load1"
  echo "command: LEGACY=$LEGACY${LEGACY_LATENCY_MS:+ LEGACY_LATENCY_MS=$LEGACY_LATENCY_MS} CONNECTIONS=$c bench/gradebook/run-http.sh $dur"
  echo "upstream: $legacy_desc"
  echo "services: JAVA_OPTS=$JAVA_OPTS; through nginx (nginx/apiary.conf.template, no gzip: wrk sends no Accept-Encoding)"
  echo "response size GET /sections/1: $size bytes; ?scores=true: $size_scores bytes"
  echo "wrk -t2 -c$c -d$dur, 30 sections at random; paced runs: $pc connections, 10 ms delay after each answer"
  for r in warm cold warm-scores cold-scores warm-student cold-student warm-paced warm-scores-paced warm-student-paced; do
    echo "$r: $(rps $r) req/s, p50 $(pct $r 50), p99 $(pct $r 99) $(errs $r)"
  done
  for r in "" -scores -student; do
    echo "warm/cold throughput ratio${r:- (section)}: $(python3 -c "print(round($(rps warm$r)/$(rps cold$r),1))")"
  done
  if [ "$LEGACY" = stub ]; then echo "legacy reads: before $legacy_reads0, after $(curl -s "http://127.0.0.1:$legacy_port/stats")"; fi
} | tee "$summary"
