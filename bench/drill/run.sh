#!/usr/bin/env bash
# Failover drill: every Redis master fails over (Cluster: CLUSTER FAILOVER on each replica at once; Sentinel: SENTINEL
# FAILOVER) while pdf-service renders a 2,000-student report and alert-service sends a 1,000-recipient alert (SMS,
# email, voice) through sandbox/providers. Afterwards the report must be done with every part: students_done = pages
# = N, the PDF has N pages and page i is student i (nothing lost, nothing twice), no warnings, no dead letters,
# nothing left pending in the render queue; and the alert finished with every delivery in the state the providers
# recorded (their ground truth) and nobody sent anything twice (bench/drill/alert_check.py).
#
#   bench/drill/run.sh                           # both topologies, N=2000, ALERTS=1000
#   TOPOLOGIES=cluster N=500 ALERTS=0 bench/drill/run.sh
#
# Env: TOPOLOGIES ("cluster sentinel"), N (2000), WORKERS (render workers, 2), ALERTS (recipients, 1000; 0: no alert
#      half), PORT (a free one), SKIP_BUILD=1, JAR, KEEP=1 (keep the scratch dir), JAVA_HOME (JDK 25).
# Needs: JDK 25, maven, redis-server + redis-cli (redis-tools), curl, python3, poppler-utils (pdfinfo, pdftotext).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
TOPOLOGIES=${TOPOLOGIES:-"cluster sentinel"}
N=${N:-2000}
WORKERS=${WORKERS:-2}
ALERTS=${ALERTS:-1000}
PORT=${PORT:-}
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java" -version 2>&1 | grep -q 'version "2[5-9]' || { echo "needs JDK 25+ (set JAVA_HOME)" >&2; exit 1; }
for t in redis-server redis-cli curl python3 pdfinfo pdftotext; do
  command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT
log() { printf '[drill] %s\n' "$*" >&2; }
fail() { printf '[drill] FAILED: %s\n' "$*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
[ -n "$PORT" ] || PORT=$(free_port)
until_ok() { # seconds what command... : runs the command every 0.2 s until it succeeds
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt "$deadline" ] || fail "timed out waiting for: $what"
    sleep 0.2
  done
}
cli() { redis-cli -h 127.0.0.1 -p "$@"; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building pdf-service, alert-service, sandbox/providers..."
  (cd "$repo" && mvn -B -ntp -q -pl pdf-service,alert-service,sandbox/providers -am package -DskipTests >/dev/null)
fi
jar=${JAR:-"$repo/pdf-service/target/pdf-service.jar"}
alert_jar="$repo/alert-service/target/alert-service.jar"
sandbox_jar="$repo/sandbox/providers/target/sandbox-providers-exec.jar"

# the request: N students in the shape of the legacy app's data (the tests' TestData)
python3 - "$N" > "$work/req.json" <<'PY'
import json, sys
n = int(sys.argv[1])
first = ["José", "María", "Zoë", "Björn", "Søren", "Łucja", "Thảo", "Ayşe", "Ελένη", "Анна", "Priya", "Emma"]
last = ["Núñez", "Østergaard", "Wiśniewska", "Nguyễn", "Yılmaz", "Οικονόμου", "Иванов", "O'Connor", "Müller"]
titles = ["English Literature", "Algebra II", "Chemistry", "World History", "Spanish III", "Physical Education",
          "Concert Band", "Statistics"]
grades = ["A", "A-", "B+", "B", "B-", "C+", "C", "D", "F"]
def student(i):
    f, l = first[i % len(first)], last[(i // len(first)) % len(last)]
    courses = [{"code": "C%d%03d" % (c, i % 1000), "title": titles[c], "teacher": "Mr. Daniel Ortega",
                "credits": 0.5 if c == 5 else 1.0, "marks": [60 + (i * 7 + c * 13 + m * 5) % 41 for m in range(4)],
                "average": 80.0, "final": grades[(i + c) % len(grades)],
                "comment": f + " participates thoughtfully in class discussions."} for c in range(8)]
    return {"id": "S-%05d" % i, "first_name": f, "last_name": l, "name": "%s %s %d" % (f, l, i + 1),
            "grade_level": 9 + i % 4, "homeroom": "%d-%s" % (9 + i % 4, "ABC"[i % 3]), "advisor": "Ms. Ingrid Sjöberg",
            "date_of_birth": "2010-0%d-1%d" % (1 + i % 9, i % 9), "courses": courses,
            "attendance": {"days_present": 88, "days_absent": 4, "days_tardy": 1},
            "advisor_comment": f + " works well with classmates."}
print(json.dumps({"template": "report_card", "school_id": "lakeview",
                  "school": {"name": "Lakeview International Secondary School", "address": ["1450 Maplewood Avenue"],
                             "district": "Cascade Valley", "term": "2024–2025", "issued": "2025-06-13",
                             "principal": "Dr. Margaret Åhlund-Kapoor", "school_days": 92},
                  "students": [student(i) for i in range(n)]}))
PY

start_server() { # port dir extra-args...
  local port=$1 dir=$2; shift 2
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --protected-mode no --save "" --appendonly no --dir "$dir" \
    --repl-diskless-sync-delay 0 --logfile "$dir/redis.log" "$@" &
  pids+=($!)
  until_ok 20 "redis on $port" cli "$port" ping
}

# --- Cluster: 3 masters + 3 replicas
cluster_ports=()
start_cluster() {
  local p nodes=()
  for _ in 0 1 2 3 4 5; do
    p=$(free_port); cluster_ports+=("$p"); nodes+=("127.0.0.1:$p")
    # the bus on a free port of its own (the default, port + 10000, may be taken or out of range)
    start_server "$p" "$work/cluster/$p" --cluster-enabled yes --cluster-port "$(free_port)" \
      --cluster-config-file nodes.conf --cluster-node-timeout 2000
  done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes > "$work/cluster-create.log" 2>&1 \
    || fail "redis-cli --cluster create (see $work/cluster-create.log)"
  until_ok 60 "cluster ok on every node" cluster_ok
  spring_args=("--spring.data.redis.cluster.nodes=$(IFS=,; echo "${nodes[*]}")")
}
cluster_ok() {
  local p
  for p in "${cluster_ports[@]}"; do
    cli "$p" cluster info | grep -q '^cluster_state:ok' || return 1
    # every replica linked to its master
    if cli "$p" role | head -1 | grep -q slave; then cli "$p" info replication | grep -q 'master_link_status:up' || return 1; fi
  done
}
is_master() { cli "$1" role | head -1 | grep -qx master; }
failover_all() { # cluster: CLUSTER FAILOVER on every replica at once (each master hands over to its replica)
  local p replicas=()
  for p in "${cluster_ports[@]}"; do is_master "$p" || replicas+=("$p"); done
  [ ${#replicas[@]} -eq 3 ] || fail "expected 3 replicas, found ${#replicas[@]}"
  for p in "${replicas[@]}"; do cli "$p" cluster failover | grep -q OK || fail "CLUSTER FAILOVER on $p"; done
  for p in "${replicas[@]}"; do
    until_ok 30 "replica $p promoted" is_master "$p"
    log "  master moved to $p (students_done $(students_done))"
  done
  moved_at=$(students_done)
  until_ok 60 "cluster ok after the failovers" cluster_ok
}

# --- Sentinel: a master, a replica, 3 sentinels
sentinel_ports=()
start_sentinel() {
  local m r s conf nodes=()
  m=$(free_port); r=$(free_port)
  start_server "$m" "$work/sentinel/$m"
  start_server "$r" "$work/sentinel/$r" --replicaof 127.0.0.1 "$m"
  until_ok 30 "replica in sync" sh -c "redis-cli -p $r info replication | grep -q master_link_status:up"
  for _ in 1 2 3; do
    s=$(free_port); sentinel_ports+=("$s"); nodes+=("127.0.0.1:$s")
    conf="$work/sentinel/sentinel-$s.conf"
    printf '%s\n' "port $s" "bind 127.0.0.1" "protected-mode no" "dir $work/sentinel" \
      "sentinel monitor apiary 127.0.0.1 $m 2" "sentinel down-after-milliseconds apiary 10000" \
      "sentinel failover-timeout apiary 20000" > "$conf"
    redis-server "$conf" --sentinel --logfile "$work/sentinel/sentinel-$s.log" &
    pids+=($!)
  done
  until_ok 60 "sentinels see the replica and each other" sentinels_ready "$m"
  spring_args=("--spring.data.redis.sentinel.master=apiary" "--spring.data.redis.sentinel.nodes=$(IFS=,; echo "${nodes[*]}")")
}
sentinel_master_port() { cli "$1" sentinel get-master-addr-by-name apiary | tail -1; }
sentinels_ready() { # master-port
  local s info
  for s in "${sentinel_ports[@]}"; do
    [ "$(sentinel_master_port "$s")" = "$1" ] || return 1
    info=$(cli "$s" sentinel master apiary | paste - -)
    echo "$info" | grep -qP '^num-slaves\t1$' || return 1
    echo "$info" | grep -qP '^num-other-sentinels\t2$' || return 1
    echo "$info" | grep -qP '^flags\tmaster$' || return 1
  done
  # the replica in sync with that master
  local r; r=$(cli "${sentinel_ports[0]}" sentinel replicas apiary | paste - - | awk -F'\t' '$1=="port" {print $2}')
  cli "$r" info replication | grep -q "master_port:$1" && cli "$r" info replication | grep -q 'master_link_status:up'
}
sentinel_failover() {
  local before after
  before=$(sentinel_master_port "${sentinel_ports[0]}")
  until_ok 30 "SENTINEL FAILOVER accepted" sh -c "redis-cli -p ${sentinel_ports[0]} sentinel failover apiary | grep -q OK"
  until_ok 60 "every sentinel names a new master" sh -c \
    "for s in ${sentinel_ports[*]}; do [ \"\$(redis-cli -p \$s sentinel get-master-addr-by-name apiary | tail -1)\" != $before ] || exit 1; done"
  after=$(sentinel_master_port "${sentinel_ports[0]}")
  moved_at=$(students_done)
  log "  master moved to $after (students_done $moved_at)"
  until_ok 60 "the old master follows the new one" sentinels_ready "$after"
}

# --- the service and the job
auth=(-H "Authorization: Bearer dev-key")
status() { curl -fs "${auth[@]}" "localhost:$PORT/api/pdf/v1/reports/$id"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
students_done() { status | field students_done 2>/dev/null || echo '?'; }
final_state() { case "$(status | field state)" in done|failed|canceled) return 0 ;; *) return 1 ;; esac; }
rendering() { [ "$(status | field students_done)" -gt 0 ]; }

# --- the alert half: sandbox/providers (in memory, shared by both topologies) and alert-service per topology
alert_port=$(free_port); sandbox_port=$(free_port)
if [ "$ALERTS" -gt 0 ]; then
  "$java" -Xmx512m -jar "$sandbox_jar" --server.port="$sandbox_port" --server.tomcat.max-part-count=5000 \
    > "$work/sandbox.log" 2>&1 &
  pids+=($!)
fi
alerts() { SERVICE_URL="http://localhost:$alert_port" SANDBOX_URL="http://localhost:$sandbox_port" API_KEY=drill-key \
  python3 "$here/alert_check.py" "$@"; }
start_alert_service() { # topology
  "$java" "@$repo/deploy/jvm/alert-service.args" -jar "$alert_jar" --apiary.dev-mode=true --server.port="$alert_port" \
    --apiary.security.api-keys=drill-key --apiary.alert.public-base-url="http://localhost:$alert_port" \
    --apiary.alert.twilio.base-url="http://localhost:$sandbox_port" \
    --apiary.alert.mailgun.base-url="http://localhost:$sandbox_port/" \
    --apiary.alert.twilio.sms-segments-per-second=100 --apiary.alert.twilio.calls-per-second=10 \
    --apiary.alert.reconcile.after=60s --apiary.alert.reconcile.interval=30s "${spring_args[@]}" \
    > "$work/alert-$1.log" 2>&1 &
  alert_svc=$!; pids+=("$alert_svc")
}

results=()
moved_at=0
drill() { # topology
  local topo=$1 svc t0 t1 t2 st state done_n pages warnings pdf_pages
  cluster_ports=(); sentinel_ports=()
  log "$topo: starting Redis"
  case "$topo" in
    cluster) start_cluster ;;
    sentinel) start_sentinel ;;
    *) fail "unknown topology $topo" ;;
  esac
  log "$topo: starting pdf-service"
  "$java" -jar "$jar" --apiary.dev-mode=true --server.port="$PORT" --apiary.pdf.data-dir="$work/data-$topo" \
    --apiary.pdf.workers="$WORKERS" --apiary.pdf.max-students=$((N > 5000 ? N : 5000)) "${spring_args[@]}" \
    > "$work/pdf-$topo.log" 2>&1 &
  svc=$!; pids+=("$svc")
  if [ "$ALERTS" -gt 0 ]; then
    log "$topo: starting alert-service"
    start_alert_service "$topo"
    until_ok 300 "sandbox/providers healthy" curl -fs "localhost:$sandbox_port/actuator/health"
    until_ok 300 "alert-service healthy" curl -fs "localhost:$alert_port/actuator/health"
  fi
  until_ok 300 "pdf-service healthy" curl -fs "localhost:$PORT/actuator/health"
  t0=$(date +%s.%N)
  id=$(curl -fs "${auth[@]}" -H "Content-Type: application/json" --data-binary @"$work/req.json" \
       "localhost:$PORT/api/pdf/v1/reports" | field id)
  log "$topo: report $id ($N students) submitted; waiting for rendering"
  local alert_id=""
  if [ "$ALERTS" -gt 0 ]; then
    alert_id=$(alerts send "$ALERTS") || fail "$topo: the alert was not accepted"
    log "$topo: alert $alert_id ($ALERTS recipients x SMS, email, voice) accepted"
  fi
  until_ok 120 "rendering under way" rendering
  t1=$(date +%s.%N)
  log "$topo: failing over every master (students_done $(students_done) of $N)"
  case "$topo" in
    cluster) failover_all ;;
    sentinel) sentinel_failover ;;
  esac
  t2=$(date +%s.%N)
  # every master must have moved while the report was still rendering
  [ "$moved_at" -lt "$N" ] || fail "$topo: the report finished before every master had moved (raise N or lower WORKERS)"
  until_ok 600 "report $id final" final_state
  local t3; t3=$(date +%s.%N)
  st=$(status)
  state=$(echo "$st" | field state); done_n=$(echo "$st" | field students_done); pages=$(echo "$st" | field pages)
  warnings=$(echo "$st" | field warnings_total)
  curl -fs "${auth[@]}" -o "$work/$topo.pdf" "localhost:$PORT/api/pdf/v1/reports/$id/file" || fail "$topo: no file"
  pdf_pages=$(pdfinfo "$work/$topo.pdf" | awk '/^Pages:/ {print $2}')
  # page i holds student i, once: nothing lost, nothing twice, in order
  pdftotext -enc UTF-8 "$work/$topo.pdf" "$work/$topo.txt"
  local misplaced
  misplaced=$(python3 - "$work/$topo.txt" "$N" <<'PY'
import sys
pages = open(sys.argv[1], encoding="utf-8").read().split("\f")
n = int(sys.argv[2])
bad = [i for i in range(n) if i >= len(pages) or ("S-%05d" % i) not in pages[i]
       or sum(("S-%05d" % i) in p for p in pages) != 1]
print(len(bad))
PY
)
  # the render queue: nothing pending, nothing dead (any node answers through -c)
  local p0 dead pending
  if [ "$topo" = cluster ]; then p0=${cluster_ports[0]}; else p0=$(sentinel_master_port "${sentinel_ports[0]}"); fi
  dead=$(redis-cli -c -p "$p0" xlen 'apiary:pdf:{render}:dead')
  pending=$(redis-cli -c -p "$p0" xpending 'apiary:pdf:{render}' pdf-service | head -1)
  log "$topo: $state, students_done $done_n, pages $pages, PDF pages $pdf_pages, misplaced pages $misplaced, warnings $warnings, dead letters $dead, pending $pending"
  if ! { [ "$state" = "done" ] && [ "$done_n" = "$N" ] && [ "$pages" = "$N" ] && [ "$pdf_pages" = "$N" ] \
    && [ "$misplaced" = 0 ] && [ "$dead" = 0 ] && [ "$pending" = 0 ]; }; then
    fail "$topo: the report is not whole"
  fi
  local alert_row="-"
  if [ "$ALERTS" -gt 0 ]; then
    local verdict
    verdict=$(TIMEOUT=600 alerts check "$alert_id") || fail "$topo: alert $alert_id did not finish"
    log "$topo: alert $verdict"
    alert_row=$(python3 -c 'import json,sys; v=json.loads(sys.argv[1]); print("%d of %d equal to truth, %d duplicates" % (v["equal_to_truth"], v["deliveries"], v["duplicates"]))' "$verdict")
    python3 -c 'import json,sys; v=json.loads(sys.argv[1]); n=int(sys.argv[2]); sys.exit(0 if v["deliveries"] == 3 * n and v["equal_to_truth"] == v["deliveries"] and v["duplicates"] == 0 else 1)' \
      "$verdict" "$ALERTS" || fail "$topo: the alert is not exact: $verdict"
    kill "$alert_svc"; wait "$alert_svc" 2>/dev/null || true
  fi
  results+=("$(printf '| %s | %s | %s of %s (%s) | %.1f | %.1f | %s | %s | %s | %s | %s |' "$topo" "$state" "$done_n" "$N" "$moved_at" \
    "$(echo "$t2 - $t1" | bc)" "$(echo "$t3 - $t0" | bc)" "$pdf_pages" "$misplaced" "$dead" "$pending" "$alert_row")")
  kill "$svc"; wait "$svc" 2>/dev/null || true
}

for topo in $TOPOLOGIES; do drill "$topo"; done
echo "| topology | report | students done (when the last master moved) | failovers s | report s (submit -> final) | PDF pages | pages misplaced/lost/twice | dead letters | pending | alert deliveries |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${results[@]}"
