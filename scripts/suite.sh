# shellcheck shell=bash
# Sourced by ./apiary (which defines ROOT, MVN, log, die, find_jdk, ensure_packages).
# The whole suite on one machine: cmd_up, cmd_down, cmd_status, cmd_logs.
#
# Environment (all optional):
#   APIARY_PORT             nginx port (default 8080; "auto" = a free port)
#   APIARY_API_KEY          the key the services accept and the legacy app sends (default dev-key)
#   APIARY_PORT_OFFSET      added to every default port (default: APIARY_PORT - 8080, so a second checkout
#                           on APIARY_PORT=9080 gets 9081.., legacy 4000, providers 9090, redis 7379)
#   APIARY_PORTS=auto       every port (services, redis, nginx unless APIARY_PORT is set) is a free one
#   APIARY_REDIS_PORT       Redis port; a Redis already answering there is used, else a private one is started
#   APIARY_REDIS=private    always start a private redis-server (on a free port with APIARY_PORTS=auto)
#   APIARY_REDIS=cluster    a local Redis Cluster instead: 3 masters + 3 replicas on 7000-7005 (+ offset; free ports
#                           with APIARY_PORTS=auto), kept under the state dir; the services get
#                           spring.data.redis.cluster.nodes
#   APIARY_REDIS=sentinel   a master (7010), a replica (7011) and 3 sentinels (7020-7022) (+ offset), started empty;
#                           the services get spring.data.redis.sentinel.master=apiary and .nodes
#   APIARY_PDF_INSTANCES, APIARY_ALERT_INSTANCES, APIARY_GRADEBOOK_INSTANCES   instances behind nginx (default 1)
#   APIARY_STATE_DIR        pids, logs, rendered nginx config, PDF files, Redis data (default .apiary)
#   APIARY_SKIP_BUILD=1     use the jars already under */target
#   APIARY_JAR_DIR          take <name>.jar from this directory first (a snapshot of built jars)
#   APIARY_JAVA_OPTS        JVM flags for every Java process and APIARY_<PDF|ALERT|GRADEBOOK|LEGACY|PROVIDERS>_JAVA_OPTS
#                           per part, after the part's own (deploy/jvm/<service>.args, sandbox.args); the last of
#                           a flag wins, but a second GC flag (e.g. -XX:+UseSerialGC on gradebook) stops the JVM.
#                           APIARY_<...>_ARGS extra Spring arguments per part
#   APIARY_AOT=0            start without the AOT caches (scripts/aot.sh) and do not build them
#   APIARY_UP_TIMEOUT       seconds to wait for health (default 240)
#   APIARY_GRADEBOOK_JWT_SECRET  HS256 secret shared by legacy app and gradebook-service

SUITE_JWT_DEFAULT="apiary-dev-jwt-secret-please-change-0123456789"

suite_state() { printf '%s' "${APIARY_STATE_DIR:-$ROOT/.apiary}"; }

# --- ports -------------------------------------------------------------------------------------------------
port_in_use() { (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

SUITE_TAKEN=" "
# free_port: sets REPLY to a port nobody listens on and that this run has not handed out yet
free_port() {
  local p tries=0 lo=32768 span
  # below the kernel's ephemeral range, so an outgoing connection cannot take the port between choice and bind
  [ -r /proc/sys/net/ipv4/ip_local_port_range ] && read -r lo _ </proc/sys/net/ipv4/ip_local_port_range
  span=$(( lo - 15000 )); [ "$span" -gt 1000 ] || span=10000
  while :; do
    p=$(( 15000 + (RANDOM * 32768 + RANDOM) % span ))
    tries=$((tries + 1)); [ "$tries" -lt 500 ] || die "no free port found"
    case "$SUITE_TAKEN" in *" $p "*) continue ;; esac
    port_in_use "$p" && continue
    SUITE_TAKEN="$SUITE_TAKEN$p "
    REPLY=$p; return 0
  done
}

# pick_port DEFAULT: sets REPLY to a free port in auto mode, else DEFAULT + offset
pick_port() {
  if [ "${APIARY_PORTS:-}" = auto ]; then free_port; else REPLY=$(( $1 + SUITE_OFFSET )); fi
}

# Writes $STATE/ports.env: every part's port(s).
suite_plan() {
  local state=$1 nginx_port redis_port svc def n ports i
  nginx_port=${APIARY_PORT:-8080}
  if [ "$nginx_port" = auto ]; then free_port; nginx_port=$REPLY; fi
  SUITE_OFFSET=${APIARY_PORT_OFFSET:-$(( nginx_port - 8080 ))}
  [ "${APIARY_PORTS:-}" = auto ] && SUITE_OFFSET=0
  redis_port=${APIARY_REDIS_PORT:-}
  local mode=${APIARY_REDIS:-standalone} cluster="" bus="" sentinels="" def
  case "$mode" in
    cluster)
      for def in 7000 7001 7002 7003 7004 7005; do
        pick_port "$def"; cluster="$cluster $REPLY"
        # the cluster bus port: port + 10000 by default, a free one in auto mode
        if [ "${APIARY_PORTS:-}" = auto ]; then free_port; bus="$bus $REPLY"; else bus="$bus $((REPLY + 10000))"; fi
      done
      cluster=${cluster# }; redis_port=${cluster%% *} ;;
    sentinel)
      pick_port 7010; redis_port=$REPLY
      pick_port 7011; sentinels="$REPLY"
      for def in 7020 7021 7022; do pick_port "$def"; sentinels="$sentinels $REPLY"; done ;;
    standalone|private) if [ -z "$redis_port" ]; then pick_port 6379; redis_port=$REPLY; fi ;;
    *) die "APIARY_REDIS must be private, cluster or sentinel (or unset), not $mode" ;;
  esac
  {
    echo "APIARY_PORT=$nginx_port"
    echo "REDIS_MODE=$mode"
    echo "REDIS_HOST=${APIARY_REDIS_HOST:-127.0.0.1}"
    echo "REDIS_PORT=$redis_port"
    echo "REDIS_CLUSTER_PORTS=\"$cluster\""
    echo "REDIS_CLUSTER_BUS_PORTS=\"${bus# }\""
    # sentinel mode: the replica's port, then the three sentinels'
    echo "REDIS_SENTINEL_PORTS=\"$sentinels\""
    pick_port 8090; echo "PROVIDERS_PORT=$REPLY"
    pick_port 3000; echo "LEGACY_PORT=$REPLY"
    for svc in PDF:8081 ALERT:8082 GRADEBOOK:8083; do
      def=${svc#*:}; svc=${svc%%:*}
      n="APIARY_${svc}_INSTANCES"; n=${!n:-1}
      ports=""
      for ((i = 0; i < n; i++)); do pick_port $(( def + 100 * i )); ports="$ports $REPLY"; done
      echo "${svc}_PORTS=\"${ports# }\""
    done
  } >"$state/ports.env"
}

# --- processes ---------------------------------------------------------------------------------------------
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# the runnable jar of a module: <name>-exec.jar when the module keeps its plain jar as a library, else <name>.jar
boot_jar() {
  if [ -n "${APIARY_JAR_DIR:-}" ] && [ -f "$APIARY_JAR_DIR/$2.jar" ]; then printf '%s' "$APIARY_JAR_DIR/$2.jar"
  elif [ -f "$ROOT/$1/target/$2-exec.jar" ]; then printf '%s' "$ROOT/$1/target/$2-exec.jar"
  else printf '%s' "$ROOT/$1/target/$2.jar"; fi
}

# start_java NAME JAR PORT [spring args...]: background JVM, pid in pids/NAME.pid, log in logs/NAME.log
# shellcheck disable=SC2153  # REDIS_HOST/REDIS_PORT come from ports.env
start_java() {
  local name=$1 jar=$2 port=$3 state; shift 3
  state=$(suite_state)
  [ -f "$jar" ] || die "$jar is missing: run ./apiary build (or unset APIARY_SKIP_BUILD)"
  if port_in_use "$port"; then die "port $port (for $name) is already in use; set APIARY_PORT / APIARY_PORT_OFFSET or APIARY_PORTS=auto"; fi
  local kind=${name%%-[0-9]*}; kind=$(printf '%s' "$kind" | tr '[:lower:]' '[:upper:]')
  local opts_var="APIARY_${kind}_JAVA_OPTS" args_var="APIARY_${kind}_ARGS" aot
  local -a opts extra
  # the part's flags (deploy/jvm/*.args, as deployed), then APIARY_JAVA_OPTS and APIARY_<PART>_JAVA_OPTS on top
  opts=("@$(jvm_args_file "$jar")")
  read -r -a extra <<<"${APIARY_JAVA_OPTS:-} ${!opts_var:-}"
  opts+=("${extra[@]}")
  # the AOT cache (scripts/aot.sh) when one was built from this jar: the extracted jar with -XX:AOTCache
  if aot=$(aot_fresh "$jar"); then
    opts+=("-XX:AOTCache=$aot"); jar="${aot%.aot}.jar"
  fi
  read -r -a extra <<<"${!args_var:-}"
  local -a redis_args
  read -r -a redis_args <<<"$(redis_spring_args)"
  (
    cd "$state" || exit 1
    # fewer glibc malloc arenas: less native memory per JVM (as deployed: deploy/env/apiary.env.example)
    export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
    exec nohup "$JAVA_HOME/bin/java" "${opts[@]}" -jar "$jar" \
      "--server.port=$port" "${redis_args[@]}" \
      "--apiary.dev-mode=true" "$@" "${extra[@]}" >"$state/logs/$name.log" 2>&1 </dev/null
  ) &
  echo $! >"$state/pids/$name.pid"
  echo "$name http://127.0.0.1:$port" >>"$state/parts"
}

# the Spring arguments that point a part at this suite's Redis (standalone, cluster or sentinel)
# shellcheck disable=SC2153  # REDIS_* come from ports.env
redis_spring_args() {
  local p nodes=""
  case "${REDIS_MODE:-standalone}" in
    cluster)
      for p in $REDIS_CLUSTER_PORTS; do nodes="$nodes,$REDIS_HOST:$p"; done
      printf '%s' "--spring.data.redis.cluster.nodes=${nodes#,}" ;;
    sentinel)
      for p in ${REDIS_SENTINEL_PORTS#* }; do nodes="$nodes,$REDIS_HOST:$p"; done
      printf '%s' "--spring.data.redis.sentinel.master=apiary --spring.data.redis.sentinel.nodes=${nodes#,}" ;;
    *) printf '%s' "--spring.data.redis.host=$REDIS_HOST --spring.data.redis.port=$REDIS_PORT" ;;
  esac
}

# start_redis_server NAME PORT DIR [redis-server args...]: a background redis-server, pid in pids/NAME.pid
start_redis_server() {
  local name=$1 port=$2 dir=$3 state; shift 3
  state=$(suite_state)
  port_in_use "$port" && die "port $port (for $name) is already in use; set APIARY_PORT_OFFSET or APIARY_PORTS=auto"
  mkdir -p "$dir"
  (
    exec nohup redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --protected-mode yes "$@" \
      >"$state/logs/$name.log" 2>&1 </dev/null
  ) &
  echo $! >"$state/pids/$name.pid"
}

# wait_redis PORT WHAT CHECK...: until `redis-cli -p PORT CHECK...` prints WHAT (20 s)
wait_redis() {
  local port=$1 want=$2 deadline=$((SECONDS + 20)); shift 2
  until redis-cli -p "$port" "$@" 2>/dev/null | grep -q "$want"; do
    [ $SECONDS -lt $deadline ] || die "redis on $port: no '$want' from '$*' after 20 s; see $(suite_state)/logs"
    sleep 0.2
  done
}

# A local Redis Cluster, 3 masters + 3 replicas. A cluster from an earlier `up` on the same ports comes back as it
# was (each node keeps nodes.conf and its AOF); with other ports it starts afresh.
start_redis_cluster() {
  local state dir p i ok
  local -a ports buses nodes=()
  state=$(suite_state); dir="$state/redis-cluster"
  read -r -a ports <<<"$REDIS_CLUSTER_PORTS"; read -r -a buses <<<"$REDIS_CLUSTER_BUS_PORTS"
  if [ "$(cat "$dir/ports" 2>/dev/null)" != "$REDIS_CLUSTER_PORTS $REDIS_CLUSTER_BUS_PORTS" ]; then rm -rf "$dir"; fi
  mkdir -p "$dir"; echo "$REDIS_CLUSTER_PORTS $REDIS_CLUSTER_BUS_PORTS" >"$dir/ports"
  for i in "${!ports[@]}"; do
    p=${ports[$i]}
    start_redis_server "redis-$p" "$p" "$dir/$p" --cluster-enabled yes --cluster-port "${buses[$i]}" \
      --cluster-config-file nodes.conf --cluster-node-timeout 5000 --appendonly yes --save "" \
      --repl-diskless-sync-delay 0
    nodes+=("127.0.0.1:$p")
  done
  for p in "${ports[@]}"; do wait_redis "$p" PONG ping; done
  if redis-cli -p "${ports[0]}" cluster info | grep -q '^cluster_known_nodes:1'; then
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$state/logs/redis-cluster-create.log" 2>&1 \
      || die "redis-cli --cluster create failed; see $state/logs/redis-cluster-create.log"
  fi
  local deadline=$((SECONDS + 60))
  while :; do
    ok=0
    for p in "${ports[@]}"; do
      redis-cli -p "$p" cluster info 2>/dev/null | grep -q '^cluster_state:ok' && ok=$((ok + 1))
    done
    [ "$ok" -eq "${#ports[@]}" ] && break
    [ $SECONDS -lt $deadline ] || die "the Redis Cluster is not ok after 60 s; see $state/logs/redis-*.log"
    sleep 0.5
  done
  log "started a Redis Cluster (3 masters, 3 replicas) on ${ports[*]}"
}

# sentinel_field PORT FIELD: one field of `SENTINEL MASTER apiary` as that sentinel sees it
sentinel_field() {
  redis-cli -p "$1" sentinel master apiary 2>/dev/null | awk -v f="$2" 'prev == f { print; exit } { prev = $0 }'
}

# A local Sentinel set-up: a master, a replica, 3 sentinels (quorum 2) monitoring it as "apiary"; started empty.
start_redis_sentinel() {
  local state dir replica sentinels_rest p i=0
  local -a sentinels
  state=$(suite_state); dir="$state/redis-sentinel"
  read -r replica sentinels_rest <<<"$REDIS_SENTINEL_PORTS"
  read -r -a sentinels <<<"$sentinels_rest"
  rm -rf "$dir"; mkdir -p "$dir"
  start_redis_server "redis-$REDIS_PORT" "$REDIS_PORT" "$dir/$REDIS_PORT" --save "" --repl-diskless-sync-delay 0
  start_redis_server "redis-$replica" "$replica" "$dir/$replica" --save "" --replicaof 127.0.0.1 "$REDIS_PORT"
  wait_redis "$replica" 'master_link_status:up' info replication
  for p in "${sentinels[@]}"; do
    i=$((i + 1))
    printf '%s\n' "port $p" "bind 127.0.0.1" "dir $dir" "sentinel monitor apiary 127.0.0.1 $REDIS_PORT 2" \
      "sentinel down-after-milliseconds apiary 5000" "sentinel failover-timeout apiary 20000" >"$dir/sentinel-$p.conf"
    port_in_use "$p" && die "port $p (sentinel $i) is already in use"
    (exec nohup redis-server "$dir/sentinel-$p.conf" --sentinel >"$state/logs/redis-sentinel-$p.log" 2>&1 </dev/null) &
    echo $! >"$state/pids/redis-sentinel-$p.pid"
  done
  local deadline=$((SECONDS + 60))
  for p in "${sentinels[@]}"; do
    until [ "$(sentinel_field "$p" num-other-sentinels)" = 2 ] && [ "$(sentinel_field "$p" num-slaves)" = 1 ]; do
      [ $SECONDS -lt $deadline ] || die "sentinel $p does not see the whole set-up after 60 s; see $state/logs"
      sleep 0.5
    done
  done
  log "started Redis Sentinel: master $REDIS_PORT, replica $replica, sentinels ${sentinels[*]} (master name apiary)"
}

start_redis() {
  local state; state=$(suite_state)
  case "${REDIS_MODE:-standalone}" in
    cluster) start_redis_cluster; return ;;
    sentinel) start_redis_sentinel; return ;;
  esac
  if [ "${APIARY_REDIS:-}" != private ] && redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    log "using the Redis already answering on $REDIS_HOST:$REDIS_PORT"
    return 0
  fi
  [ "$REDIS_HOST" = 127.0.0.1 ] || die "no Redis answers on $REDIS_HOST:$REDIS_PORT"
  port_in_use "$REDIS_PORT" && die "port $REDIS_PORT is taken by something that is not Redis"
  mkdir -p "$state/redis"
  (
    exec nohup redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$state/redis" --appendonly yes \
      --save "" --protected-mode yes >"$state/logs/redis.log" 2>&1 </dev/null
  ) &
  echo $! >"$state/pids/redis.pid"
  local deadline=$((SECONDS + 20))
  until redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; do
    [ $SECONDS -lt $deadline ] || die "redis-server did not start; see $state/logs/redis.log"
    sleep 0.2
  done
  log "started redis-server on $REDIS_PORT"
}

# server_lines ENTRY...: upstream server lines; an entry is a port (127.0.0.1) or host:port
server_lines() {
  local e
  for e in "$@"; do
    case "$e" in *:*) ;; *) e="127.0.0.1:$e" ;; esac
    printf '        server %s max_fails=1 fail_timeout=10s;\n' "$e"
  done
}

# render_template OUT: nginx/apiary.conf.template with the NGX_* variables filled in
render_template() {
  local out=$1 t
  local -a pdf alert gradebook
  read -r -a pdf <<<"$NGX_PDF"; read -r -a alert <<<"$NGX_ALERT"; read -r -a gradebook <<<"$NGX_GRADEBOOK"
  t=$(cat "$ROOT/nginx/apiary.conf.template")
  t=${t//'{{USER_DIRECTIVE}}'/$NGX_USER}
  t=${t//'{{WORKER_PROCESSES}}'/${APIARY_NGINX_WORKERS:-2}}
  t=${t//'{{PREFIX}}'/$NGX_PREFIX}
  t=${t//'{{ERROR_LOG}}'/$NGX_ERROR_LOG}
  t=${t//'{{ACCESS_LOG}}'/$NGX_ACCESS_LOG}
  t=${t//'{{LISTEN}}'/$NGX_LISTEN}
  t=${t//'{{PDF_SERVERS}}'/$(server_lines "${pdf[@]}")}
  t=${t//'{{ALERT_SERVERS}}'/$(server_lines "${alert[@]}")}
  t=${t//'{{GRADEBOOK_SERVERS}}'/$(server_lines "${gradebook[@]}")}
  t=${t//'{{LEGACY_SERVERS}}'/$(server_lines "$NGX_LEGACY")}
  t=${t//'{{PDF_DATA_DIR}}'/$NGX_PDF_DIR}
  t=${t//'{{PDF_MAX_BODY}}'/${APIARY_PDF_MAX_BODY:-256m}}
  t=${t//'{{ALERT_MAX_BODY}}'/${APIARY_ALERT_MAX_BODY:-20m}}
  t=${t//'{{GRADEBOOK_MAX_BODY}}'/${APIARY_GRADEBOOK_MAX_BODY:-5m}}
  t=${t//'{{ALERT_CREATE_RATE}}'/${APIARY_ALERT_CREATE_RATE:-5r/s}}
  t=${t//'{{ALERT_CREATE_BURST}}'/${APIARY_ALERT_CREATE_BURST:-20}}
  t=${t//'{{PDF_CREATE_RATE}}'/${APIARY_PDF_CREATE_RATE:-10r/s}}
  t=${t//'{{PDF_CREATE_BURST}}'/${APIARY_PDF_CREATE_BURST:-100}}
  t=${t//'{{PDF_CREATE_DELAY}}'/${APIARY_PDF_CREATE_DELAY:-50}}
  t=${t//'{{WEBHOOK_RATE}}'/${APIARY_WEBHOOK_RATE:-200r/s}}
  t=${t//'{{WEBHOOK_BURST}}'/${APIARY_WEBHOOK_BURST:-400}}
  t=${t//'{{WEBHOOK_DELAY}}'/${APIARY_WEBHOOK_DELAY:-300}}
  t=${t//'{{CONN_PER_ADDRESS}}'/${APIARY_CONN_PER_ADDRESS:-256}}
  case "$t" in *'{{'*) die "nginx template has an unrendered placeholder" ;; esac
  printf '%s\n' "$t" >"$out"
}

# render_nginx STATE: .apiary/nginx/nginx.conf for the processes of this checkout
render_nginx() {
  local state=$1
  NGX_PREFIX="$state/nginx"
  mkdir -p "$NGX_PREFIX/logs" "$NGX_PREFIX/tmp" "$state/pdf-data"
  NGX_USER=""
  if [ "$(id -u)" -eq 0 ]; then NGX_USER="user root;"; fi
  NGX_ERROR_LOG="$NGX_PREFIX/logs/error.log"
  NGX_ACCESS_LOG="$NGX_PREFIX/logs/access.log"
  NGX_LISTEN=${APIARY_NGINX_LISTEN:-$APIARY_PORT}
  NGX_PDF=$PDF_PORTS NGX_ALERT=$ALERT_PORTS NGX_GRADEBOOK=$GRADEBOOK_PORTS NGX_LEGACY=$LEGACY_PORT
  NGX_PDF_DIR="$state/pdf-data"
  render_template "$NGX_PREFIX/nginx.conf"
}

nginx_cmd() { local state; state=$(suite_state); nginx -p "$state/nginx" -c "$state/nginx/nginx.conf" -e "$state/nginx/logs/error.log" "$@"; }

# --- the parts and their arguments ---------------------------------------------------------------------------
suite_env() {
  export APIARY_API_KEY=${APIARY_API_KEY:-dev-key}
  export APIARY_SECURITY_API_KEYS=$APIARY_API_KEY
  export APIARY_GRADEBOOK_JWT_SECRET=${APIARY_GRADEBOOK_JWT_SECRET:-$SUITE_JWT_DEFAULT}
  export APIARY_SUITE_URL="http://127.0.0.1:$APIARY_PORT"
}

start_parts() {
  local state=$1 i=0 p providers="http://127.0.0.1:$PROVIDERS_PORT" public="http://127.0.0.1:$APIARY_PORT"
  start_java providers "$(boot_jar sandbox/providers sandbox-providers)" "$PROVIDERS_PORT" \
    "--sandbox.mailgun-webhook-url=$public/api/alerts/v1/webhooks/mailgun"
  start_java legacy "$(boot_jar sandbox/legacy-app sandbox-legacy-app)" "$LEGACY_PORT" \
    "--apiary.legacy.suite-url=$public"
  i=0; for p in $PDF_PORTS; do i=$((i + 1))
    start_java "pdf-$i" "$(boot_jar pdf-service pdf-service)" "$p" \
      "--apiary.pdf.data-dir=$state/pdf-data"
  done
  i=0; for p in $ALERT_PORTS; do i=$((i + 1))
    start_java "alert-$i" "$(boot_jar alert-service alert-service)" "$p" \
      "--apiary.alert.public-base-url=$public" \
      "--apiary.alert.twilio.base-url=$providers" "--apiary.alert.mailgun.base-url=$providers/" \
      "--apiary.security.clients.e2e-hillcrest.key=dev-e2e-hillcrest-key" \
      "--apiary.security.clients.e2e-hillcrest.schools=hillcrest"
  done
  i=0; for p in $GRADEBOOK_PORTS; do i=$((i + 1))
    start_java "gradebook-$i" "$(boot_jar gradebook-service gradebook-service)" "$p" \
      "--apiary.gradebook.legacy-base-url=http://127.0.0.1:$LEGACY_PORT"
  done
}

# wait_healthy STATE: every part in $STATE/parts answers its readiness probe, or die with the log tail
wait_healthy() {
  local state=$1 deadline=$((SECONDS + ${APIARY_UP_TIMEOUT:-240})) pending name url
  while :; do
    pending=""
    while read -r name url; do
      if ! pid_alive "$state/pids/$name.pid"; then
        log "$name exited; last lines of $state/logs/$name.log:"
        tail -n 40 "$state/logs/$name.log" >&2 || true
        die "$name did not start"
      fi
      part_healthy "$url" || pending="$pending $name"
    done <"$state/parts"
    [ -z "$pending" ] && return 0
    [ $SECONDS -lt $deadline ] || die "not healthy after ${APIARY_UP_TIMEOUT:-240}s:$pending (logs in $state/logs)"
    sleep 1
  done
}

part_healthy() {
  curl -fsS -o /dev/null --max-time 2 "$1/actuator/health/readiness" 2>/dev/null \
    || curl -fsS -o /dev/null --max-time 2 "$1/actuator/health" 2>/dev/null
}

# --- commands ------------------------------------------------------------------------------------------------
cmd_up() {
  find_jdk
  ensure_packages redis-server:redis-server redis-cli:redis-tools nginx:nginx curl:curl "${FONT_PACKAGES[@]}"
  local state; state=$(suite_state)
  mkdir -p "$state/pids" "$state/logs"
  local f
  for f in "$state"/pids/*.pid; do
    pid_alive "$f" && die "the suite is already up in $state (./apiary status; ./apiary down stops it)"
  done
  rm -f "$state"/pids/*.pid "$state/parts"
  # a failed start leaves nothing running
  trap 'rc=$?; if [ "$rc" -ne 0 ]; then log "up failed: stopping what started"; cmd_down; fi' EXIT
  suite_plan "$state"
  # shellcheck disable=SC1091
  . "$state/ports.env"
  suite_env
  if [ "${APIARY_SKIP_BUILD:-0}" != 1 ]; then
    require_maven; require_node # the gradebook UI is built by the Maven build
    log "building (mvn package -DskipTests; APIARY_SKIP_BUILD=1 skips this)"
    "${MVN[@]}" -q -DskipTests package
    aot_build
  fi
  log "API key: $APIARY_API_KEY (APIARY_API_KEY)"
  log "dev mode is ON (apiary.dev-mode=true): built-in dev secrets are in use; never run a deployment like this"
  start_redis
  render_nginx "$state"
  nginx_cmd -t -q || die "nginx -t failed for $state/nginx/nginx.conf"
  port_in_use "$APIARY_PORT" && die "port $APIARY_PORT is in use; set APIARY_PORT"
  start_parts "$state"
  nginx_cmd || die "nginx did not start; see $state/nginx/logs/error.log"
  local i
  for ((i = 0; i < 50; i++)); do [ -s "$state/nginx/nginx.pid" ] && break; sleep 0.1; done
  cp "$state/nginx/nginx.pid" "$state/pids/nginx.pid" || die "nginx wrote no pid file"
  log "waiting for every part to be healthy"
  wait_healthy "$state"
  curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$APIARY_PORT/nginx-health" || die "nginx does not answer on $APIARY_PORT"
  trap - EXIT
  log "up:"
  cat >&2 <<INFO
  legacy app (demo)   http://localhost:$APIARY_PORT/
  report cards        http://localhost:$APIARY_PORT/report-cards
  urgent alert        http://localhost:$APIARY_PORT/urgent-alert
  gradebook           http://localhost:$APIARY_PORT/sections/101/open-gradebook
  APIs                http://localhost:$APIARY_PORT/api/{pdf,alerts,gradebook}/v1/...   (Authorization: Bearer $APIARY_API_KEY)
  OpenAPI             http://localhost:$APIARY_PORT/api/{pdf,alerts,gradebook}/v3/api-docs
  providers sandbox   http://127.0.0.1:$PROVIDERS_PORT/
  redis               $REDIS_HOST:$REDIS_PORT
  state, logs         $state   (./apiary status, ./apiary logs NAME, ./apiary down)
INFO
}

stop_pid() {
  local f=$1 name pid i
  name=$(basename "$f" .pid); pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then log "$name did not stop in 20s: kill -9"; kill -9 "$pid" 2>/dev/null || true; fi
    log "stopped $name"
  fi
  rm -f "$f"
}

cmd_down() {
  local state f; state=$(suite_state)
  [ -d "$state/pids" ] || { log "nothing is running (no $state/pids)"; return 0; }
  if pid_alive "$state/pids/nginx.pid"; then nginx_cmd -s quit 2>/dev/null || true; fi
  [ -f "$state/pids/nginx.pid" ] && stop_pid "$state/pids/nginx.pid"
  # the Java parts in parallel (each shuts down gracefully), then Redis last
  local -a stoppers=()
  for f in "$state"/pids/*.pid; do
    [ -f "$f" ] || continue
    case "$f" in */redis.pid|*/redis-*.pid) continue ;; esac
    stop_pid "$f" &
    stoppers+=($!)
  done
  # wait for the stoppers only (a failed `up` calls this with the parts still its own children)
  [ ${#stoppers[@]} -eq 0 ] || wait "${stoppers[@]}"
  for f in "$state"/pids/redis.pid "$state"/pids/redis-*.pid; do [ -f "$f" ] && stop_pid "$f"; done
  rm -f "$state/parts"
  log "down"
}

cmd_status() {
  local state name url rc=0 pidf h f; state=$(suite_state)
  [ -f "$state/ports.env" ] || { log "not started (no $state/ports.env)"; return 1; }
  # shellcheck disable=SC1091
  . "$state/ports.env"
  printf '%-14s %-8s %-8s %s\n' PART PID HEALTH URL
  case "${REDIS_MODE:-standalone}" in
    cluster|sentinel)
      local p all="$REDIS_PORT $REDIS_SENTINEL_PORTS"
      [ "${REDIS_MODE}" = cluster ] && all=$REDIS_CLUSTER_PORTS
      for p in $all; do
        if redis-cli -h "$REDIS_HOST" -p "$p" ping 2>/dev/null | grep -q PONG; then h=UP; else h=DOWN; rc=1; fi
        pidf=""; for f in "$state"/pids/redis-*"$p".pid; do [ -f "$f" ] && pidf=$f; done
        printf '%-14s %-8s %-8s %s\n' "redis-$p" "$(cat "$pidf" 2>/dev/null || echo -)" "$h" \
          "$(redis-cli -p "$p" info server 2>/dev/null | tr -d '\r' | sed -n 's/^redis_mode:sentinel/sentinel/p')$(redis-cli -p "$p" info replication 2>/dev/null | tr -d '\r' | sed -n 's/^role://p')"
      done
      [ "${REDIS_MODE}" = cluster ] && { redis-cli -p "$REDIS_PORT" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || rc=1; } ;;
    *)
      if redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then h=UP; else h=DOWN; rc=1; fi
      pidf="$state/pids/redis.pid"
      printf '%-14s %-8s %-8s %s\n' redis "$( [ -f "$pidf" ] && cat "$pidf" || echo external)" "$h" "redis://$REDIS_HOST:$REDIS_PORT" ;;
  esac
  if [ -f "$state/parts" ]; then
    while read -r name url; do
      pidf="$state/pids/$name.pid"
      if pid_alive "$pidf" && part_healthy "$url"; then h=UP; elif pid_alive "$pidf"; then h=STARTING; rc=1; else h=DOWN; rc=1; fi
      printf '%-14s %-8s %-8s %s\n' "$name" "$(cat "$pidf" 2>/dev/null || echo -)" "$h" "$url"
    done <"$state/parts"
  fi
  if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$APIARY_PORT/nginx-health" 2>/dev/null; then h=UP; else h=DOWN; rc=1; fi
  printf '%-14s %-8s %-8s %s\n' nginx "$(cat "$state/pids/nginx.pid" 2>/dev/null || echo -)" "$h" "http://localhost:$APIARY_PORT/"
  return $rc
}

cmd_logs() {
  local state name; state=$(suite_state)
  name=${1:-}
  [ -n "$name" ] || die "usage: ./apiary logs NAME   (redis providers legacy pdf alert gradebook nginx, or pdf-2 ...)"
  name=${name%-service}; name=${name%-app}; name=${name#sandbox-}
  local -a files=()
  case "$name" in
    nginx) files=("$state/nginx/logs/access.log" "$state/nginx/logs/error.log") ;;
    *-[0-9]*|redis|providers|legacy) files=("$state/logs/$name.log") ;;
    redis-*) files=("$state/logs/$name"*.log) ;;
    *) for f in "$state/logs/$name"-*.log; do [ -f "$f" ] && files+=("$f"); done ;;
  esac
  if [ ${#files[@]} -eq 0 ] || [ ! -f "${files[0]}" ]; then die "no log for '$1' under $state/logs"; fi
  if [ "${APIARY_LOGS_FOLLOW:-1}" = 1 ]; then exec tail -n 200 -F "${files[@]}"; else tail -n 200 "${files[@]}"; fi
}

# ./apiary nginx_check: render the nginx config for the current environment into the state dir and run `nginx -t`
# (nothing is started; the e2e module's NginxConfigTest runs this).
cmd_nginx_check() {
  ensure_packages nginx:nginx
  local state; state=$(suite_state)
  mkdir -p "$state"
  suite_plan "$state"
  # shellcheck disable=SC1091
  . "$state/ports.env"
  render_nginx "$state"
  nginx_cmd -t || die "nginx -t failed for $state/nginx/nginx.conf"
  printf '%s\n' "$state/nginx/nginx.conf"
}

# ./apiary nginx_docker: (re)writes nginx/docker/nginx.conf, the same template rendered for docker-compose.yml
# (service names as upstreams, logs to stdout/stderr). Commit the result; a test checks it is up to date.
cmd_nginx_docker() {
  local out=${1:-$ROOT/nginx/docker/nginx.conf}
  mkdir -p "$(dirname "$out")"
  NGX_PREFIX=/tmp/apiary-nginx NGX_USER="user nginx;" NGX_ERROR_LOG=/dev/stderr NGX_ACCESS_LOG=/dev/stdout
  NGX_LISTEN=8080 NGX_PDF=pdf-service:8081 NGX_ALERT=alert-service:8082 NGX_GRADEBOOK=gradebook-service:8083
  NGX_LEGACY=legacy-app:3000 NGX_PDF_DIR=/data/pdf
  APIARY_NGINX_WORKERS=auto render_template "$out.tmp"
  { echo "# GENERATED by ./apiary nginx_docker from nginx/apiary.conf.template: edit the template, not this file."
    cat "$out.tmp"; } >"$out"
  rm -f "$out.tmp"
  printf '%s\n' "$out"
}
