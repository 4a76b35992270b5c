#!/usr/bin/env bash
# The memory floor under pdf-service: the same renderer (pdf-service's own classes) in three process shapes,
# side by side in one run, same JVM flags, same data, same measurement:
#   render-only     plain Java: the JDK's HTTP server + the rendering pipeline (floor/RenderOnly.java)
#   minimal-spring  Spring Boot 4 + MVC + Tomcat + Jackson + the rendering pipeline; no Security, Redis,
#                   actuator or Micrometer on the classpath (floor/MinimalSpring.java)
#   pdf-service     the service itself (queue, Redis, status, SSE, auth, actuator), a job through its API
# for each heap size. It answers "how low can peak RSS go in each shape" for issue 3's target (peak RSS
# during the 2,000-student job <= 0.7x Prawn's, measured by run.sh). Not a service benchmark: run.sh is.
#
#   bench/pdf/floor.sh                          # heaps 64, 48 and 32 MB; 3 timed 2,000-student jobs each
#   HEAPS="64:24" RUNS=1 bench/pdf/floor.sh     # quick
#
# Env: HEAPS ("heap:young" in MB, default "64:24 48:16 32:12"), RUNS (default 3), N (default 2000),
#      SHAPES (default "render-only minimal-spring pdf-service"), FLAGS (JVM flags besides the heap; default:
#      the service's own, in lib.sh), JOB_TIMEOUT (s, default 180), BASELINE_DIR, JAVA_HOME, SKIP_BUILD=1,
#      KEEP=1.
# Peak RSS: VmHWM after resetting it (echo 5 > /proc/PID/clear_refs) just before each job, as run.sh does.
# Needs: JDK 25, maven, redis-server, curl, ruby (the baseline's data generator).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
HEAPS=${HEAPS:-"64:24 48:16 32:12"}
RUNS=${RUNS:-3}
N=${N:-2000}
SHAPES=${SHAPES:-"render-only minimal-spring pdf-service"}
PORT=${PORT:-18091}
JOB_TIMEOUT=${JOB_TIMEOUT:-180}   # seconds; a job that does not finish by then counts as failed (0 pages/s)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
FLAGS=${FLAGS:-"$PDF_JVM_FLAGS"}
javac="${JAVA_HOME:+$JAVA_HOME/bin/}javac"
require_tools curl redis-server ruby
started=$(date -u '+%Y-%m-%d %H:%M UTC')
build_service
# the service's libraries as plain jars, for the two floor programs
"$java" -Djarmode=tools -jar "$jar" extract --destination "$work/app" >/dev/null
all_cp="$work/app/pdf-service.jar"
spring_cp="$work/app/pdf-service.jar"
for j in "$work"/app/lib/*.jar; do
  all_cp="$all_cp:$j"
  case ${j##*/} in
    spring-boot-actuator*|spring-boot-security*|spring-security*|spring-boot-data-redis*|spring-data-redis*|\
    spring-data-keyvalue*|spring-boot-micrometer*|micrometer*|lettuce*|netty*|reactor*|redis-authx*|HdrHistogram*|\
    LatencyUtils*) ;;
    *) spring_cp="$spring_cp:$j" ;;
  esac
done
mkdir -p "$work/classes"
"$javac" -d "$work/classes" -cp "$all_cp" "$here/floor/RenderOnly.java" "$here/floor/MinimalSpring.java"

make_requests 500 "$N"
start_redis

auth=(-H "Authorization: Bearer dev-key")
start() { # shape heap young
  local cmd
  read -r -a cmd <<< "$java $FLAGS -Xms$2m -Xmx$2m -Xmn$3m"
  case $1 in
    render-only) cmd+=(-cp "$work/classes:$all_cp" RenderOnly "$PORT") ;;
    minimal-spring) cmd+=(-cp "$work/classes:$spring_cp" MinimalSpring --server.port="$PORT") ;;
    pdf-service) cmd+=(-jar "$jar" --apiary.dev-mode=true --server.port="$PORT" --spring.data.redis.port="$redis_port"
                       --apiary.pdf.data-dir="$work/data") ;;
  esac
  "${cmd[@]}" > "$work/$1.log" 2>&1 &
  svc_pid=$!
  for _ in $(seq 1 480); do
    grep -qE "render-only ready|minimal-spring ready|render warm-up done" "$work/$1.log" && return 0
    kill -0 "$svc_pid" 2>/dev/null || { cat "$work/$1.log" >&2; exit 1; }
    sleep 0.25
  done
  echo "$1 did not start" >&2; exit 1
}
job() { # shape file -> pages
  if [ "$1" = pdf-service ]; then
    local id
    id=$(curl -fs -m 60 "${auth[@]}" -H "Content-Type: application/json" --data-binary @"$2" \
         "localhost:$PORT/api/pdf/v1/reports" | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/') || return 0
    timeout "$JOB_TIMEOUT" curl -fsN "${auth[@]}" "localhost:$PORT/api/pdf/v1/reports/$id/events" \
      | grep -m1 -qE '"state":"(done|failed|canceled)"' || true
    # a JVM out of heap may stop answering at all: every call has a deadline
    curl -fs -m 30 "${auth[@]}" "localhost:$PORT/api/pdf/v1/reports/$id" | sed 's/.*"pages":\([0-9]*\).*/\1/' || true
    curl -fs -m 30 -X DELETE "${auth[@]}" "localhost:$PORT/api/pdf/v1/reports/$id" >/dev/null || true
  else
    curl -fs -m "$JOB_TIMEOUT" -H "Content-Type: application/json" --data-binary @"$2" "localhost:$PORT/render" \
      | sed 's/.*"pages":\([0-9]*\).*/\1/' || true
  fi
}
kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$svc_pid/status"; }

rows="$work/rows.tsv"
: > "$rows"
load0=$(cut -d" " -f1-3 /proc/loadavg)
for hy in $HEAPS; do
  heap=${hy%%:*}; young=${hy##*:}
  for shape in $SHAPES; do
    start "$shape" "$heap" "$young"
    job "$shape" "$work/req-500.json" >/dev/null    # untimed warm-up job, as run.sh
    warm=$(kb VmRSS)
    for r in $(seq 1 "$RUNS"); do
      echo 5 > "/proc/$svc_pid/clear_refs"
      t0=$(date +%s.%N)
      pages=$(job "$shape" "$work/req-$N.json")
      t1=$(date +%s.%N)
      hwm=$(kb VmHWM)
      pps=$(echo "$N / ($t1 - $t0)" | bc)
      if [ "$pages" != "$N" ]; then   # e.g. OutOfMemoryError with a heap too small: recorded, and the shape stops
        echo "$shape, heap $heap MB: the job did not complete (${pages:-no} pages; see $shape.log)" >&2
        pps=0
      fi
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$shape" "$heap" "$young" "$pps" "$hwm" "$warm" >> "$rows"
      printf '%-15s heap %3s MB (young %2s): run %s %4s pages/s, peak RSS %4d MB\n' "$shape" "$heap" "$young" "$r" \
        "$pps" $((hwm / 1024)) >&2
      [ "$pps" != 0 ] || break
    done
    kill "$svc_pid"; wait "$svc_pid" 2>/dev/null || true; svc_pid=""
  done
done
load1=$(cut -d" " -f1-3 /proc/loadavg)

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$here/results"
out="$here/results/floor-$stamp.md"
{
  echo "# pdf memory floor, started $started"
  echo
  echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GB; load $load0 -> $load1."
  echo "Command: \`HEAPS=\"$HEAPS\" RUNS=$RUNS N=$N bench/pdf/floor.sh\`; JVM: $("$java" -version 2>&1 | head -1)."
  echo "Flags besides the heap: \`$FLAGS\`, MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX. One untimed 500-student job first."
  echo
  echo "pages/s 0: the job did not complete (e.g. OutOfMemoryError), the shape's remaining runs were skipped."
  echo
  echo "| shape | heap MB (young) | pages/s (median) | peak RSS MB (max of $RUNS) | RSS after warm-up MB |"
  echo "|---|---|---|---|---|"
  sort -t$'\t' -k2,2nr -s "$rows" | awk -F'\t' -v runs="$RUNS" '
    { k = $1 "\t" $2 "\t" $3; if (!(k in seen)) { seen[k] = 1; order[++n] = k }
      p[k, ++c[k]] = $4; if ($5 > h[k]) h[k] = $5; w[k] = $6 }
    END { for (i = 1; i <= n; i++) { k = order[i]; split(k, f, "\t")
            m = c[k]; for (a = 1; a <= m; a++) v[a] = p[k, a]
            for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (v[b] < v[a]) { t = v[a]; v[a] = v[b]; v[b] = t }
            printf "| %s | %s (%s) | %d | %d | %d |\n", f[1], f[2], f[3], v[int((m + 1) / 2)], h[k] / 1024, w[k] / 1024 } }'
} > "$out"
cat "$out"
echo "written: $out" >&2
