# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source it
# Sourced by run.sh and floor.sh: the service's JVM flags, the JDK and tool checks, a scratch folder cleaned up
# on exit (with the service and Redis it started), the build, the request data and a private Redis.
# Needs $here and $repo set by the caller.

# The service's JVM flags (why: RESULTS-pdf.md, "JVM flags and why"), the heap apart so floor.sh can vary it.
PDF_JVM_FLAGS="-XX:+UseSerialGC -XX:+UseCompactObjectHeaders -XX:ReservedCodeCacheSize=48m -XX:CICompilerCount=2 -Xss512k -XX:TrimNativeHeapInterval=1000"
PDF_HEAP_FLAGS="-Xms64m -Xmx64m -Xmn24m"
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
BASELINE_DIR=${BASELINE_DIR:-"$repo/../shared/bench/pdf-baseline"}

# JDK 25: JAVA_HOME, else the java on PATH
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java" -version 2>&1 | grep -q 'version "2[5-9]' || { echo "needs JDK 25+ (set JAVA_HOME)" >&2; exit 1; }

require_tools() { # command...
  for t in "$@"; do command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }; done
}

work=$(mktemp -d)
svc_pid=""
redis_pid=""
cleanup() {
  if [ -n "$svc_pid" ]; then kill "$svc_pid" 2>/dev/null || true; fi
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; fi
  [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT

build_service() { # sets $jar
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "building pdf-service..." >&2
    (cd "$repo" && mvn -B -ntp -q -pl pdf-service -am package -DskipTests >/dev/null)
  fi
  jar="$repo/pdf-service/target/pdf-service.jar"
}

make_requests() { # N... -> $work/req-N.json: the baseline's data for N students as a pdf-service request
  # the baseline's generator, copied to the scratch folder (the shared folder is read-only)
  cp -r "$BASELINE_DIR" "$work/baseline"
  chmod -R u+w "$work/baseline"
  (cd "$work/baseline" && ruby gen_data.rb "$@" >/dev/null)
  for n in "$@"; do
    # the baseline data plus "template" and "school_id" is a pdf-service request ("generated_by" is ignored)
    sed '0,/{/s//{"template": "report_card", "school_id": "lakeview",/' "$work/baseline/data-$n.json" > "$work/req-$n.json"
  done
}

start_redis() { # sets $redis_port
  redis_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --logfile "$work/redis.log" &
  redis_pid=$!
}
