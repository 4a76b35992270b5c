#!/usr/bin/env bash
# Alert benchmark: starts a private Redis, sandbox/providers and alert-service, runs bench_alerts.py,
# writes bench/alerts/RESULTS-alerts.md, stops what it started.
# Needs: JAVA_HOME (Java 25), redis-server, python3. Builds the two jars if they are missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jcmd="${JAVA_HOME:+$JAVA_HOME/bin/}jcmd"
redis_port="${BENCH_REDIS_PORT:-6391}"
sandbox_port="${BENCH_SANDBOX_PORT:-18090}"
service_port="${BENCH_SERVICE_PORT:-18082}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -n "${KEEP_LOGS:-}" ]]; then mkdir -p "$KEEP_LOGS" && cp "$work"/*.log "$KEEP_LOGS"/; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ ! -f "$root/alert-service/target/alert-service.jar" || ! -f "$root/sandbox/providers/target/sandbox-providers-exec.jar" ]]; then
  (cd "$root" && mvn -B -ntp -q -pl common,sandbox/providers,alert-service -am install -DskipTests)
fi

redis-server --port "$redis_port" --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
"$java" -Xmx512m -jar "$root/sandbox/providers/target/sandbox-providers-exec.jar" --server.port="$sandbox_port" \
  --server.tomcat.max-part-count=5000 \
  >"$work/sandbox.log" 2>&1 &
pids+=($!)
# the service's flags as deployed (deploy/jvm/alert-service.args)
"$java" "@$root/deploy/jvm/alert-service.args" -jar "$root/alert-service/target/alert-service.jar" --apiary.dev-mode=true --server.port="$service_port" \
  --spring.data.redis.port="$redis_port" \
  --apiary.security.api-keys=bench-key \
  --apiary.alert.public-base-url="http://localhost:$service_port" \
  --apiary.alert.twilio.base-url="http://localhost:$sandbox_port" \
  --apiary.alert.mailgun.base-url="http://localhost:$sandbox_port/" \
  --apiary.alert.twilio.sms-segments-per-second=100 --apiary.alert.twilio.calls-per-second=10 \
  --apiary.alert.twilio.max-in-flight=1000 \
  --apiary.alert.dispatch.sms-concurrency=24 --apiary.alert.dispatch.window=24 \
  --apiary.alert.reconcile.after=60s --apiary.alert.reconcile.interval=30s \
  --logging.level.dev.apiary=${BENCH_LOG_LEVEL:-WARN} \
  >"$work/service.log" 2>&1 &
service_pid=$!
pids+=($service_pid)

for url in "http://localhost:$sandbox_port/actuator/health" "http://localhost:$service_port/actuator/health"; do
  for _ in $(seq 1 360); do curl -fs "$url" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fs "$url" >/dev/null || { echo "not up: $url"; tail -50 "$work"/*.log; exit 1; }
done

SERVICE_URL="http://localhost:$service_port" SANDBOX_URL="http://localhost:$sandbox_port" API_KEY=bench-key \
SERVICE_PID="$service_pid" JCMD="$jcmd" RESULTS="${RESULTS:-$here/RESULTS-alerts.md}" python3 "${BENCH_DRIVER:-$here/bench_alerts.py}"
