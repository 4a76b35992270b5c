#!/usr/bin/env bash
# HTTP benchmark of gradebook-service: warm (cached) vs cold (cache disabled) GET /sections/{id}
# for 40 x 80 sections in 6 groups, in the same run, with wrk. Measured directly against two
# service instances (no nginx in front: say so when recording). Needs JDK 25, Maven, redis-server, wrk.
# Usage: bench/gradebook/run-http.sh [duration, default 15s]
# Env: LEGACY_LATENCY_MS (added latency of the legacy stand-in per read, default 0), CONNECTIONS (default 16)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# JDK 25: JAVA_HOME, else the java on PATH
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java" -version 2>&1 | grep -q 'version "2[5-9]' || { echo "needs JDK 25+ (set JAVA_HOME)" >&2; exit 1; }
dur="${1:-15s}"
out="$here/target/http"
mkdir -p "$out"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

(cd "$root" && mvn -B -ntp -q -N install && mvn -B -ntp -q -pl gradebook-service package -DskipTests -Dgradebook.ui.skip=true)
mvn -B -ntp -q -f "$here/pom.xml" package -DskipTests

redis_port=$(free_port); legacy_port=$(free_port); warm_port=$(free_port); cold_port=$(free_port)
redis-server --port "$redis_port" --save '' --appendonly no >"$out/redis.log" 2>&1 & pids+=($!)
"$java" -cp "$here/target/gradebook-bench.jar" dev.apiary.bench.gradebook.LegacyStub "$legacy_port" 40 80 "${LEGACY_LATENCY_MS:-0}" >"$out/legacy.log" 2>&1 & pids+=($!)

start_service() { # port cache-enabled
  "$java" -Xmx512m -jar "$root/gradebook-service/target/gradebook-service.jar" \
    --server.port="$1" --spring.data.redis.port="$redis_port" \
    --apiary.gradebook.legacy-base-url="http://127.0.0.1:$legacy_port" \
    --apiary.gradebook.cache-enabled="$2" --logging.level.root=warn >"$out/service-$1.log" 2>&1 &
  pids+=($!)
}
start_service "$warm_port" true
start_service "$cold_port" false
for p in "$warm_port" "$cold_port"; do
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$p/actuator/health" >/dev/null && break; sleep 0.5; done
done

# warm up both JVMs and fill the warm cache (30 sections)
for i in $(seq 1 30); do
  for p in "$warm_port" "$cold_port"; do curl -sf -H 'Authorization: Bearer dev-key' "http://127.0.0.1:$p/api/gradebook/v1/sections/$i" >/dev/null; done
done
size=$(curl -s -H 'Authorization: Bearer dev-key' "http://127.0.0.1:$warm_port/api/gradebook/v1/sections/1" | wc -c)
size_grades=$(curl -s -H 'Authorization: Bearer dev-key' "http://127.0.0.1:$warm_port/api/gradebook/v1/sections/1?scores=false" | wc -c)
for p in "$warm_port" "$cold_port"; do
  SECTIONS=30 wrk -t2 -c16 -d5s -s "$here/sections.lua" "http://127.0.0.1:$p" >/dev/null
done

run() { # name port connections [student] [query]
  SECTIONS=30 STUDENT="${4:-0}" QUERY="${5:-}" DELAY_MS="${DELAY_MS:-0}" wrk -t2 -c"$3" -d"$dur" --latency -s "$here/sections.lua" "http://127.0.0.1:$2" | tee "$out/$1.txt"
}
c="${CONNECTIONS:-16}"
run warm "$warm_port" "$c"
run cold "$cold_port" "$c"
run warm-grades "$warm_port" "$c" 0 "?scores=false"
run cold-grades "$cold_port" "$c" 0 "?scores=false"
run warm-student "$warm_port" "$c" 1
run cold-student "$cold_port" "$c" 1
# paced: 20 connections x one request per 10 ms = at most 2,000 req/s (issue target: warm p99 <= 10 ms at 2,000 req/s)
DELAY_MS=10 run warm-student-paced "$warm_port" 20 1
DELAY_MS=10 run warm-paced "$warm_port" 20 0

rps() { grep 'Requests/sec' "$out/$1.txt" | awk '{print $2}'; }
pct() { grep -E "^ +$2%" "$out/$1.txt" | awk '{print $2}'; }
{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/Model name: *//p'), load avg $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "response size GET /sections/1: $size bytes; ?scores=false: $size_grades bytes"
  echo "legacy latency: ${LEGACY_LATENCY_MS:-0} ms per read; wrk -t2 -c$c -d$dur, 30 sections at random; direct to the service (no nginx)"
  for r in warm cold warm-grades cold-grades warm-student cold-student warm-student-paced warm-paced; do echo "$r: $(rps $r) req/s, p50 $(pct $r 50), p99 $(pct $r 99)"; done
  for r in "" -grades -student; do
    echo "warm/cold throughput ratio${r:- (full section)}: $(python3 -c "print(round($(rps warm$r)/$(rps cold$r),1))")"
  done
  echo "legacy reads: $(curl -s "http://127.0.0.1:$legacy_port/stats")"
} | tee "$out/summary-latency${LEGACY_LATENCY_MS:-0}.txt"
