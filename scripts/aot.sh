# shellcheck shell=bash
# Sourced by ./apiary (which defines ROOT, log, die, find_jdk). The JDK 25 AOT cache of each Java part, the three
# services and the two sandbox parts (JEP 483/514/515: classes loaded and linked, method profiles), built by
# `./apiary build` (and by `./apiary up` when it builds):
#
#   <module>/target/aot/<name>.jar   the boot jar extracted (`-Djarmode=tools extract`: a plain jar + lib/; the
#   <module>/target/aot/lib/         JVM caches classes only from plain jars on the class path)
#   <module>/target/aot/<name>.aot   the cache, from a training run: the part starts with its flags
#                                    (deploy/jvm/<part>.args) against a private Redis, answers a few requests, exits
#
# Start: `java @deploy/jvm/<part>.args -XX:AOTCache=<name>.aot -jar <name>.jar` (scripts/suite.sh, the deploy bundle).
# A cache the JVM cannot use (another JDK build, other flags such as the GC, changed jars) is ignored: the JVM
# starts without it (AOTMode=auto), only slower. A cache built from other jar contents (aot/<name>.source: a digest of the boot jar's
# entries) is rebuilt here and not used by ./apiary up.
#
# Environment: APIARY_AOT=0 skips building (and using) the caches.

# the parts: module dir, jar name, training requests (paths; the first one also gets an empty POST)
AOT_PARTS=(
  "pdf-service pdf-service /api/pdf/v1/reports /api/pdf/v1/reports/none /v3/api-docs"
  "alert-service alert-service /api/alerts/v1/alerts/none /api/alerts/v1/alerts/none/deliveries /v3/api-docs"
  "gradebook-service gradebook-service /api/gradebook/v1/sections/101 /gradebook/ /v3/api-docs"
  # the sandbox parts start beside the services in ./apiary up and e2e: their start CPU is taken from the services'
  "sandbox/providers sandbox-providers /_admin/reset /_admin/stats /_admin/truth /2010-04-01/Accounts/AC0/Messages.json"
  "sandbox/legacy-app sandbox-legacy-app /demo/reset /api/v1/sections /report-cards /urgent-alert /demo/token"
)

# the JVM flag file of a part (its module dir or jar name): deploy/jvm/<service>.args, sandbox.args for the rest
jvm_args_file() {
  case "$(basename "$1")" in
    *pdf-service*) printf '%s' "$ROOT/deploy/jvm/pdf-service.args" ;;
    *alert-service*) printf '%s' "$ROOT/deploy/jvm/alert-service.args" ;;
    *gradebook-service*) printf '%s' "$ROOT/deploy/jvm/gradebook-service.args" ;;
    *) printf '%s' "$ROOT/deploy/jvm/sandbox.args" ;;
  esac
}

# aot_digest JAR: a digest of the jar's contents (entry names and CRCs; not its timestamps, which every build changes)
aot_digest() {
  python3 -c 'import sys, zipfile, hashlib
z = zipfile.ZipFile(sys.argv[1])
print(hashlib.sha256("".join(sorted(f"{i.filename}:{i.CRC}:{i.file_size}\n" for i in z.infolist())).encode()).hexdigest())' "$1"
}

# aot_fresh JAR: prints the AOT cache of boot jar JAR when there is one built from a jar with JAR's contents
# (aot/<name>.stamp: the size and time of the jar last found to match, so an unchanged jar is not read again)
aot_fresh() {
  local jar=$1 base dir stamp
  base=$(basename "$jar" .jar); base=${base%-exec}; dir="$(dirname "$jar")/aot"
  [ "${APIARY_AOT:-1}" != 0 ] && [ -s "$dir/$base.aot" ] && [ -f "$dir/$base.jar" ] && [ -f "$dir/$base.source" ] \
    && [ -f "$jar" ] || return 1
  stamp=$(stat -c '%s %Y' "$jar")
  if [ "$(cat "$dir/$base.stamp" 2>/dev/null)" != "$stamp" ]; then
    [ "$(cat "$dir/$base.source")" = "$(aot_digest "$jar")" ] || return 1
    printf '%s\n' "$stamp" >"$dir/$base.stamp"
  fi
  printf '%s' "$dir/$base.aot"
}

aot_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# aot_train MODULE NAME REDIS_PORT WORK PATH...: extract MODULE's boot jar, run it once with -XX:AOTCacheOutput
aot_train() {
  local module=$1 name=$2 redis_port=$3 work=$4 jar dir port pid i path; shift 4
  jar="$ROOT/$module/target/$name.jar"
  [ -f "$ROOT/$module/target/$name-exec.jar" ] && jar="$ROOT/$module/target/$name-exec.jar"
  [ -f "$jar" ] || die "$jar is missing: build first"
  dir="$ROOT/$module/target/aot"
  rm -rf "$dir"
  "$JAVA_HOME/bin/java" -Djarmode=tools -jar "$jar" extract --destination "$dir.tmp" >/dev/null \
    || die "extracting $jar failed"
  mv "$dir.tmp" "$dir"
  [ -f "$dir/$name.jar" ] || mv "$dir/$(basename "$jar")" "$dir/$name.jar"
  port=$(aot_port)
  mkdir -p "$work/$name"
  log "AOT cache: training $name (port $port)"
  (
    cd "$work/$name" || exit 1
    exec "$JAVA_HOME/bin/java" "@$(jvm_args_file "$module")" -XX:AOTCacheOutput="$dir/$name.aot" \
      -jar "$dir/$name.jar" --server.port="$port" --spring.data.redis.host=127.0.0.1 \
      --spring.data.redis.port="$redis_port" --apiary.dev-mode=true --apiary.pdf.data-dir="$work/$name/data" \
      >"$work/$name.log" 2>&1 </dev/null
  ) &
  pid=$!
  for ((i = 0; i < 600; i++)); do
    curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/actuator/health" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$work/$name.log" >&2; die "$name exited during its AOT training run"; }
    sleep 0.5
  done
  [ "$i" -lt 600 ] || { kill "$pid"; die "$name did not become healthy in its AOT training run"; }
  for ((i = 0; i < 3; i++)); do
    for path in /actuator/health /actuator/health/readiness /actuator/prometheus "$@"; do
      curl -s -o /dev/null --max-time 5 -H "Authorization: Bearer dev-key" "http://127.0.0.1:$port$path" || true
    done
    curl -s -o /dev/null --max-time 5 -H "Authorization: Bearer dev-key" -H 'Content-Type: application/json' \
      -d '{}' "http://127.0.0.1:$port$1" || true
  done
  # the JVM writes the cache as it exits (a graceful shutdown on SIGTERM)
  kill "$pid"
  wait "$pid" || true
  [ -s "$dir/$name.aot" ] || { tail -n 30 "$work/$name.log" >&2; die "no AOT cache written for $name"; }
  aot_digest "$jar" >"$dir/$name.source"
  stat -c '%s %Y' "$jar" >"$dir/$name.stamp"
  log "AOT cache: $dir/$name.aot ($(du -m "$dir/$name.aot" | cut -f1) MB)"
}

# aot_build [all]: trains every part whose cache is missing or stale ("all": every part)
aot_build() {
  [ "${APIARY_AOT:-1}" != 0 ] || { log "APIARY_AOT=0: no AOT caches"; return 0; }
  local t
  for t in redis-server redis-cli curl python3; do
    command -v "$t" >/dev/null 2>&1 && continue
    log "AOT caches skipped: the training runs need $t (./apiary aot installs what is missing, then trains)"
    return 0
  done
  local spec module name jar redis_port work rpid
  local -a stale=() f
  for spec in "${AOT_PARTS[@]}"; do
    read -r -a f <<<"$spec"; module=${f[0]}; name=${f[1]}
    jar="$ROOT/$module/target/$name.jar"
    [ -f "$ROOT/$module/target/$name-exec.jar" ] && jar="$ROOT/$module/target/$name-exec.jar"
    [ -f "$jar" ] || { log "AOT cache: no $jar (not built), skipped"; continue; }
    if [ "${1:-}" = all ] || [ -z "$(aot_fresh "$jar")" ]; then stale+=("$spec"); fi
  done
  [ ${#stale[@]} -gt 0 ] || { log "AOT caches are up to date"; return 0; }
  work=$(mktemp -d)
  redis_port=$(aot_port)
  redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --dir "$work" \
    >"$work/redis.log" 2>&1 </dev/null &
  rpid=$!
  # shellcheck disable=SC2064 # expand now: the trap must stop this Redis and remove this dir
  trap "kill $rpid 2>/dev/null; rm -rf '$work'" RETURN
  until redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG; do sleep 0.2; done
  for spec in "${stale[@]}"; do
    read -r -a f <<<"$spec"
    aot_train "${f[0]}" "${f[1]}" "$redis_port" "$work" "${f[@]:2}"
  done
}

# ./apiary aot: (re)build every part's AOT cache from the jars already built
cmd_aot() {
  find_jdk
  ensure_packages redis-server:redis-server redis-cli:redis-tools curl:curl python3:python3
  aot_build all
}
