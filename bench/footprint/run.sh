#!/usr/bin/env bash
# Footprint benchmark: every part started together as `./apiary up` starts them (same JVM flags: deploy/jvm/*.args;
# the AOT caches when built), then per part: the time from its JVM's start to its first healthy readiness probe,
# the CPU seconds it used until then (what a busy machine cannot stretch), and its RSS after IDLE seconds without
# requests. Targets (issue 17): each service up <= 10 s after its JVM
# starts, <= 200 MB RSS after 20 s idle.
#
#   bench/footprint/run.sh                     # 3 runs; ./apiary up builds first (jars + stale AOT caches)
#   SKIP_BUILD=1 RUNS=1 bench/footprint/run.sh # the jars and caches already built
#   APIARY_AOT=0 bench/footprint/run.sh        # without the AOT caches
#
# Env: RUNS (default 3), IDLE (seconds, default 20), SKIP_BUILD=1, KEEP=1 (keep the state dir), and every
# APIARY_* setting ./apiary up reads (APIARY_PDF_JAVA_OPTS ... to try flags on top of the defaults).
# Writes bench/footprint/results/run-<UTC stamp>.md and prints it. RSS under load is in each benchmark's own
# results (bench/pdf: peak RSS per job).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
RUNS=${RUNS:-3}
IDLE=${IDLE:-20}
for t in curl python3; do command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }; done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$here/results"
out="$here/results/run-$stamp.md"
rows=$(mktemp)
state=""
poller=""
cleanup() {
  [ -z "$poller" ] || kill "$poller" 2>/dev/null || true
  if [ -n "$state" ]; then
    APIARY_STATE_DIR="$state" "$repo/apiary" down >/dev/null 2>&1 || true
    [ "${KEEP:-0}" = 1 ] || rm -rf "$state"
  fi
  rm -f "$rows"
}
trap cleanup EXIT

clk=$(getconf CLK_TCK)
btime=$(awk '/^btime/ {print $2}' /proc/stat)
# start_ms PID: the process's start (epoch ms) from /proc/PID/stat (clock ticks since boot)
start_ms() { awk -v b="$btime" -v c="$clk" '{ sub(/^.*\) /, ""); printf "%d", (b + $20 / c) * 1000 }' "/proc/$1/stat"; }
now_ms() { date +%s%3N; }
# cpu_s PID: the CPU seconds (user + system) the process has used
cpu_s() { awk -v c="$clk" '{ sub(/^.*\) /, ""); printf "%.1f", ($12 + $13) / c }' "/proc/$1/stat"; }
kb() { awk -v k="$2" '$1 == k ":" {print int($2 / 1024)}' "/proc/$1/status"; }

# poll STATE: every 0.1 s, each part not yet ready: its readiness probe; the first success -> STATE/ready/NAME (epoch ms)
poll() {
  local st=$1 name url pidf
  mkdir -p "$st/ready"
  while :; do
    if [ -f "$st/parts" ]; then
      while read -r name url; do
        [ -f "$st/ready/$name" ] && continue
        pidf="$st/pids/$name.pid"
        [ -f "$pidf" ] || continue
        if curl -fsS -o /dev/null --max-time 1 "$url/actuator/health/readiness" 2>/dev/null \
          || curl -fsS -o /dev/null --max-time 1 "$url/actuator/health" 2>/dev/null; then
          now_ms >"$st/ready/$name"
          cpu_s "$(cat "$pidf")" >"$st/ready/$name.cpu"
        fi
      done <"$st/parts"
    fi
    sleep 0.1
  done
}

load_before=""
for ((run = 1; run <= RUNS; run++)); do
  state=$(mktemp -d)
  load_before="$load_before $(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"
  poll "$state" & poller=$!
  skip=${SKIP_BUILD:-0}; [ "$run" -gt 1 ] && skip=1
  echo "run $run/$RUNS: ./apiary up" >&2
  APIARY_STATE_DIR="$state" APIARY_PORTS=auto APIARY_PORT=auto APIARY_REDIS=private APIARY_SKIP_BUILD=$skip \
    "$repo/apiary" up 2>"$state/up.log" || { cat "$state/up.log" >&2; exit 1; }
  # every part has answered `up`'s probe; the poller may be a tick behind
  while read -r name _; do
    for ((i = 0; i < 50; i++)); do [ -f "$state/ready/$name" ] && break; sleep 0.1; done
  done <"$state/parts"
  kill "$poller"; poller=""
  echo "run $run/$RUNS: idle ${IDLE} s" >&2
  sleep "$IDLE"
  while read -r name _; do
    pid=$(cat "$state/pids/$name.pid")
    ready=$(cat "$state/ready/$name" 2>/dev/null || echo "")
    up_s=NA; [ -n "$ready" ] && up_s=$(awk -v r="$ready" -v s="$(start_ms "$pid")" 'BEGIN { printf "%.1f", (r - s) / 1000 }')
    aot=no; tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- '-XX:AOTCache=' && aot=yes
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$name" "$up_s" "$(kb "$pid" VmRSS)" "$(kb "$pid" RssAnon)" \
      "$(kb "$pid" RssFile)" "$(awk '$1 == "Threads:" {print $2}' "/proc/$pid/status")" "$aot" \
      "$(cat "$state/ready/$name.cpu" 2>/dev/null || echo NA)" >>"$rows"
  done <"$state/parts"
  APIARY_STATE_DIR="$state" "$repo/apiary" down >/dev/null 2>&1
  [ "${KEEP:-0}" = 1 ] || rm -rf "$state"
  state=""
done

{
  echo "# Footprint run $stamp"
  echo
  echo "host: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) MB;" \
    "java: $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1)"
  echo "command: RUNS=$RUNS IDLE=$IDLE bench/footprint/run.sh; load average (1/5/15 min) before each run:$load_before"
  echo "flags: deploy/jvm/*.args$(env | grep -E '^APIARY_[A-Z]*_?JAVA_OPTS=|^APIARY_AOT=' | sed 's/^/; /' | tr '\n' ' ')"
  echo
  echo "| part | up s (JVM start -> ready), per run | median | CPU s to ready, per run | RSS MB after ${IDLE} s idle, per run | median | anon / file MB (median run) | threads | AOT cache |"
  echo "|---|---|---|---|---|---|---|---|---|"
  cut -f2 "$rows" | awk '!seen[$0]++' | while read -r name; do
    awk -F'\t' -v n="$name" '
      function median(a, k,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
      $2 == n { k++; up[k] = $3 + 0; rss[k] = $4 + 0; ups = ups (ups ? ", " : "") $3; rs = rs (rs ? ", " : "") $4
        anon[k] = $5; file[k] = $6; th = $7; aot = $8; cs = cs (cs ? ", " : "") $9 }
      END { for (i = 1; i <= k; i++) { u[i] = up[i]; r[i] = rss[i] }
        mr = median(r, k); for (i = 1; i <= k; i++) if (rss[i] == mr) { a = anon[i]; f = file[i] }
        printf "| %s | %s | %.1f | %s | %s | %d | %s / %s | %s | %s |\n", n, ups, median(u, k), cs, rs, mr, a, f, th, aot }' "$rows"
  done
  echo
  echo "Targets: pdf, alert, gradebook up <= 10 s and <= 200 MB after 20 s idle (the sandbox parts are not services)."
} | tee "$out"
echo "wrote $out" >&2
