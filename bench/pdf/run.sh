#!/usr/bin/env bash
# pdf-service benchmark: end to end through the running service (submit -> file ready), on the same data as
# the Ruby baseline (bench/pdf/baseline: the legacy app's report cards with Prawn and with wkhtmltopdf), with the
# Prawn and wkhtmltopdf baselines in the same run.
#
#   bench/pdf/run.sh                       # N = 100 500 2000 10000, 3 runs each; baselines at 2000
#   NS="100 2000" RUNS=1 BASE_NS="" bench/pdf/run.sh   # quick, no baselines
#
# Env: NS, RUNS, INTL_NS (sizes also run with 20% non-Latin names: Devanagari, Arabic, Chinese, Bengali, Thai,
#      Hebrew, Tamil, Japanese, Korean, Greek — the fallback fonts, shaping and bidi; default 2000; "" = none), SEQ_NS (sizes also run with one render worker, default 2000; "" = none), BASE_NS (baseline sizes, default 2000), BASE_RUNS (default 1; Prawn takes ~3 min per 2,000),
#      BASE_GENS (default "prawn wk"), BASELINE_DIR, JAVA_HOME, JAVA_OPTS (JVM flags of the service, default
#      the service's own, in lib.sh), PORT (default 18081), SKIP_BUILD=1, KEEP=1 (keep the scratch dir).
# Needs: JDK 25, maven, redis-server, curl, ruby + ruby-prawn + ruby-prawn-table + wkhtmltopdf + poppler-utils
#        + time + fonts-dejavu-core (`./apiary bench pdf` installs them; see baseline/README.md).
#
# Per N and run: wall s (POST start -> SSE event "done"), upload s (until the 202), pages, pages/s, output
# bytes/page, service CPU s, and the service's peak RSS during the job: VmHWM after resetting it
# (echo 5 > /proc/PID/clear_refs) just before the job. The service runs once for all jobs, as in production,
# after its startup warm-up and one untimed warm-up job (the baselines get one untimed warm-up run too).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
NS=${NS:-"100 500 2000 10000"}
RUNS=${RUNS:-3}
BASE_NS=${BASE_NS-"2000"}
BASE_RUNS=${BASE_RUNS:-1}
BASE_GENS=${BASE_GENS:-"prawn wk"}
PORT=${PORT:-18081}
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
JAVA_OPTS=${JAVA_OPTS:-"$PDF_JVM_FLAGS $PDF_HEAP_FLAGS"}
require_tools curl redis-server ruby pdfinfo

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$here/results"
out="$here/results/run-$stamp.md"
rows="$work/rows.tsv"
: > "$rows"

build_service
# the baseline sizes are generated too (the Ruby baselines read the same data files)
# shellcheck disable=SC2046 # sizes are numbers
make_requests $(echo "$NS $BASE_NS ${INTL_NS-2000} 500" | tr ' ' '\n' | sort -un)
for n in ${INTL_NS-2000}; do intl_request "$n"; done
start_redis

# the service
start_service() { # extra args...
  "$java" $JAVA_OPTS -jar "$jar" --apiary.dev-mode=true --server.port="$PORT" --spring.data.redis.port="$redis_port" \
    --apiary.pdf.data-dir="$work/data" "$@" > "$work/service.log" 2>&1 &
  svc_pid=$!
  for _ in $(seq 1 240); do curl -fs "localhost:$PORT/actuator/health" >/dev/null 2>&1 && break; sleep 0.5; done
  for _ in $(seq 1 240); do grep -q "render warm-up done" "$work/service.log" && break; sleep 0.5; done
}
start_service
start_rss=$(awk '/VmRSS/ {print $2}' /proc/$svc_pid/status)

auth=(-H "Authorization: Bearer dev-key")
cpu_s() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$svc_pid/stat"; }
job() { # file -> prints: id upload_s wall_s
  local t0 t1 t2 id
  t0=$(date +%s.%N)
  id=$(curl -fs "${auth[@]}" -H "Content-Type: application/json" --data-binary @"$1" "localhost:$PORT/api/pdf/v1/reports" \
       | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
  t1=$(date +%s.%N)
  curl -fsN "${auth[@]}" "localhost:$PORT/api/pdf/v1/reports/$id/events" | grep -m1 -qE '"state":"(done|failed|canceled)"'
  t2=$(date +%s.%N)
  echo "$id $(echo "$t1 - $t0" | bc) $(echo "$t2 - $t0" | bc)"
}

echo "warm-up job (untimed)..." >&2
job "$work/req-500.json" >/dev/null
idle_rss=$(awk '/VmRSS/ {print $2}' /proc/$svc_pid/status)

measure() { # label n r [request file]
  local label=$1 n=$2 r=$3 file=${4:-"$work/req-$2.json"}
  echo 5 > /proc/$svc_pid/clear_refs   # reset the peak RSS (VmHWM) of the service
  c0=$(cpu_s)
  read -r id up wall < <(job "$file")
  c1=$(cpu_s)
  hwm=$(awk '/VmHWM/ {print $2}' /proc/$svc_pid/status)
  st=$(curl -fs "${auth[@]}" "localhost:$PORT/api/pdf/v1/reports/$id")
  state=$(echo "$st" | sed 's/.*"state":"\([a-z]*\)".*/\1/')
  pages=$(echo "$st" | sed 's/.*"pages":\([0-9]*\).*/\1/')
  bytes=$(echo "$st" | sed 's/.*"bytes":\([0-9]*\).*/\1/')
  if [ "$r" = "$RUNS" ]; then
    curl -fs "${auth[@]}" -o "$work/out-$n.pdf" "localhost:$PORT/api/pdf/v1/reports/$id/file"
    pdf_pages=$(pdfinfo "$work/out-$n.pdf" | awk '/^Pages:/ {print $2}')
    [ "$pdf_pages" = "$n" ] || { echo "N=$n: pdfinfo says $pdf_pages pages" >&2; exit 1; }
  fi
  curl -fs -X DELETE "${auth[@]}" "localhost:$PORT/api/pdf/v1/reports/$id" >/dev/null
  cpu=$(echo "$c1 - $c0" | bc)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$n" "$r" "$state" "$pages" "$wall" "$up" "$cpu" "$hwm" "$bytes" >> "$rows"
  printf '%s N=%-5s run %s: %s, %6.2f s wall (upload %.2f s), %6.2f s cpu, %4d MB peak RSS, %d pages\n' \
    "$label" "$n" "$r" "$state" "$wall" "$up" "$cpu" $((hwm / 1024)) "$pages" >&2
}

load0=$(cut -d" " -f1-3 /proc/loadavg)
for n in $NS; do
  for r in $(seq 1 "$RUNS"); do
    measure pdf-service "$n" "$r"
  done
done
for n in ${INTL_NS-2000}; do
  for r in $(seq 1 "$RUNS"); do
    measure pdf-service-intl "$n" "$r" "$work/req-$n-intl.json"
  done
done
kill "$svc_pid"; wait "$svc_pid" 2>/dev/null || true; svc_pid=""
# the same service rendering sequentially (one worker: no parallel parts), to show what the parallel parts bring
if [ -n "${SEQ_NS-2000}" ]; then
  start_service --apiary.pdf.workers=1
  job "$work/req-500.json" >/dev/null
  for n in ${SEQ_NS-2000}; do
    for r in $(seq 1 "$RUNS"); do
      measure pdf-service-1-worker "$n" "$r"
    done
  done
  kill "$svc_pid"; wait "$svc_pid" 2>/dev/null || true; svc_pid=""
fi
load1=$(cut -d" " -f1-3 /proc/loadavg)

# the Ruby baselines, same machine, same run
if [ -n "$BASE_NS" ]; then
  setup_baseline
  [ -f "$work/baseline/data-100.json" ] || make_requests 100
  for g in $BASE_GENS; do   # untimed warm-up (the first wkhtmltopdf run builds font caches)
    case $g in
      prawn) ruby "$BASELINE_DIR/prawn_report.rb" "$work/baseline/data-100.json" "$work/baseline/out/w.pdf" ;;
      wk) "$BASELINE_DIR/wk_report.sh" "$work/baseline/data-100.json" "$work/baseline/out/w.pdf" ;;
    esac >/dev/null 2>&1 || true
  done
  for n in $BASE_NS; do
    for g in $BASE_GENS; do
      for r in $(seq 1 "$BASE_RUNS"); do
        log="$work/time-$g-$n-$r.txt"
        case $g in
          prawn) /usr/bin/time -v -o "$log" ruby "$BASELINE_DIR/prawn_report.rb" "$work/baseline/data-$n.json" "$work/baseline/out/$g-$n.pdf" ;;
          wk) /usr/bin/time -v -o "$log" "$BASELINE_DIR/wk_report.sh" "$work/baseline/data-$n.json" "$work/baseline/out/$g-$n.pdf" ;;
        esac
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$log")
        cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$log")
        rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
        pages=$(pdfinfo "$work/baseline/out/$g-$n.pdf" | awk '/^Pages:/ { print $2 }')
        bytes=$(stat -c %s "$work/baseline/out/$g-$n.pdf")
        printf '%s\t%s\t%s\tdone\t%s\t%s\t-\t%s\t%s\t%s\n' "$g" "$n" "$r" "$pages" "$wall" "$cpu" "$rss" "$bytes" >> "$rows"
        printf '%-11s N=%-5s run %s: %6.2f s wall, %4d MB RSS, %d pages\n' "$g" "$n" "$r" "$wall" $((rss / 1024)) "$pages" >&2
      done
    done
  done
fi

{
  echo "# pdf-service benchmark run $stamp"
  echo
  echo "machine: $(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM;" \
       "loadavg before the service runs $load0, after $load1"
  echo "java: $("$java" -version 2>&1 | head -1); JAVA_OPTS: \`$JAVA_OPTS\`; MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX"
  echo "service RSS after startup + warm-up: $((start_rss / 1024)) MB; after the untimed warm-up job: $((idle_rss / 1024)) MB"
  echo "command: NS=\"$NS\" INTL_NS=\"${INTL_NS-2000}\" RUNS=$RUNS BASE_NS=\"$BASE_NS\" BASE_RUNS=$BASE_RUNS BASE_GENS=\"$BASE_GENS\" bench/pdf/run.sh"
  echo
  echo "| generator | N | pages | median wall s | pages/s | median upload s | median CPU s | peak RSS MB (max) | bytes/page | runs (wall s) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  python3 - "$rows" <<'PY'
import sys, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
groups = {}
for g, n, r, state, pages, wall, up, cpu, rss, bytes_ in rows:
    groups.setdefault((g, int(n)), []).append((state, int(pages), float(wall), up, float(cpu), int(rss), int(bytes_)))
order = {"pdf-service": 0, "pdf-service-intl": 1, "pdf-service-1-worker": 2, "prawn": 3, "wk": 4}
names = {"pdf-service": "pdf-service (end to end)", "pdf-service-1-worker": "pdf-service, 1 worker (sequential)",
         "pdf-service-intl": "pdf-service, 20% non-Latin names",
         "prawn": "prawn (prawn_report.rb)", "wk": "wkhtmltopdf (wk_report.sh)"}
for (g, n), rs in sorted(groups.items(), key=lambda kv: (kv[0][1], order.get(kv[0][0], 9))):
    walls = [r[2] for r in rs]
    w = statistics.median(walls)
    pages = max(r[1] for r in rs)
    ups = [float(r[3]) for r in rs if r[3] != "-"]
    up = f"{statistics.median(ups):.2f}" if ups else "-"
    states = {r[0] for r in rs}
    flag = "" if states == {"done"} and pages == n else f" ({states}, expected {n}!)"
    print(f"| {names.get(g, g)} | {n} | {pages}{flag} | {w:.2f} | {pages / w:.1f} | {up} | {statistics.median([r[4] for r in rs]):.2f} | "
          f"{max(r[5] for r in rs) / 1024:.0f} | {rs[-1][6] // pages} | {', '.join(f'{x:.2f}' for x in walls)} |")
PY
} | tee "$out"
echo "written: $out" >&2
