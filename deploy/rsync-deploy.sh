#!/usr/bin/env bash
# rsync-deploy.sh HOST SERVICE — the plain way to deploy one service to one host:
# build the jar, rsync it (with its JVM flags, deploy/jvm/SERVICE.args, and its AOT cache when ./apiary build made one)
# into a new release dir and the systemd unit, switch `current`, restart, wait for
# /actuator/health/readiness, and roll back to the previous release if the new one does not become healthy.
#
# HOST is anything ssh accepts (user@host). The remote needs bash, curl, systemd and sudo-less root (or run as root).
# Environment: APIARY_SKIP_BUILD=1 (use the jar already built), APIARY_DEPLOY_JAR (a jar to deploy),
# APIARY_HEALTH_TIMEOUT (seconds, default 120).
# Test seams (never set in production): APIARY_SSH, APIARY_RSYNC (commands), APIARY_REMOTE_ROOT (a temporary
# root on the "remote"), APIARY_REMOTE_SYSTEMCTL, APIARY_HEALTH_URL.
set -euo pipefail

usage() { echo "usage: $0 HOST pdf-service|alert-service|gradebook-service" >&2; exit 2; }
[ $# -eq 2 ] || usage
host=$1 service=$2
case "$service" in
  pdf-service) port=8081 ;;
  alert-service) port=8082 ;;
  gradebook-service) port=8083 ;;
  *) usage ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
ssh_cmd=${APIARY_SSH:-ssh}
rsync_cmd=${APIARY_RSYNC:-rsync}
remote_root=${APIARY_REMOTE_ROOT:-}
log() { printf '[rsync-deploy %s@%s] %s\n' "$service" "$host" "$*" >&2; }

if [ "${APIARY_SKIP_BUILD:-0}" != 1 ] && [ -z "${APIARY_DEPLOY_JAR:-}" ]; then
  log "building"
  (cd "$root" && mvn -B -ntp -q -pl "$service" -am -DskipTests package)
fi
jar=${APIARY_DEPLOY_JAR:-$root/$service/target/$service.jar}
[ -f "$jar" ] || { log "$jar is missing"; exit 1; }

release=$(date -u +%Y%m%d%H%M%S)-$$
app="$remote_root/opt/apiary/$service"
unit="apiary-$service.service"

log "uploading release $release"
"$ssh_cmd" "$host" "mkdir -p '$app/releases/$release/aot' '$remote_root/etc/systemd/system' '$remote_root/var/lib/apiary/$service'"
"$rsync_cmd" -az "$jar" "$host:$app/releases/$release/$service.jar"
"$rsync_cmd" -az "$root/deploy/systemd/$unit" "$host:$remote_root/etc/systemd/system/$unit"
"$rsync_cmd" -az "$root/deploy/codedeploy/hooks/java_env.sh" "$host:$app/releases/$release/java_env.sh"
"$rsync_cmd" -az "$root/deploy/codedeploy/hooks/install_release.sh" "$host:$app/releases/$release/install_release.sh"
"$rsync_cmd" -az "$root/deploy/jvm/$service.args" "$host:$app/releases/$release/jvm.args"
# the AOT cache (scripts/aot.sh) when ./apiary build made one from this jar: the extracted jar, lib/ and the cache
aot_dir=""
if [ -z "${APIARY_DEPLOY_JAR:-}" ]; then
  ROOT=$root
  die() { log "$*"; exit 1; }
  # shellcheck source=scripts/aot.sh
  . "$root/scripts/aot.sh"
  if cache=$(aot_fresh "$jar" 2>/dev/null); then aot_dir=$(dirname "$cache"); fi
fi
if [ -n "$aot_dir" ]; then
  log "uploading the AOT cache"
  # -t: keep the jars' modification times (the cache checks them)
  "$rsync_cmd" -azt "$aot_dir/$service.jar" "$aot_dir/$service.aot" "$aot_dir/lib" "$host:$app/releases/$release/aot/"
fi

# the remote part: switch, restart, wait, roll back on failure
remote_script=$(cat <<'REMOTE'
set -euo pipefail
cd "$APP"
wait_ready() {
  local deadline=$((SECONDS + TIMEOUT))
  until curl -fsS -o /dev/null --max-time 3 "$HEALTH_URL"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 2
  done
}
previous=$(readlink current 2>/dev/null || true)
mkdir -p "$ETC"
if ! java=$(bash "releases/$RELEASE/java_env.sh" "$ETC/java.env" "$ROOT"); then
  rm -rf "releases/$RELEASE"
  exit 1
fi
echo "services run on $java"
# the uploaded files become the release: jar, jvm.args, the AOT cache when usable with this Java
mv "releases/$RELEASE" "releases/$RELEASE.upload"
bash "releases/$RELEASE.upload/install_release.sh" "$ROOT$java" "$UNIT_SERVICE" "$PWD/releases/$RELEASE.upload" "$PWD/releases/$RELEASE"
rm -rf "releases/$RELEASE.upload"
ln -sfn "releases/$RELEASE" current
$SYSTEMCTL daemon-reload
$SYSTEMCTL enable "$UNIT" >/dev/null 2>&1 || true
$SYSTEMCTL restart "$UNIT"
if wait_ready; then
  echo "release $RELEASE is live"
  # keep the newest 3 releases
  ls -1t releases | tail -n +4 | while read -r old; do rm -rf "releases/$old"; done
  exit 0
fi
echo "release $RELEASE did not become healthy" >&2
if [ -n "$previous" ]; then
  ln -sfn "$previous" current
  $SYSTEMCTL restart "$UNIT"
  if wait_ready; then echo "rolled back to $previous" >&2; else echo "rollback to $previous is not healthy either" >&2; fi
fi
rm -rf "releases/$RELEASE"
exit 1
REMOTE
)
health_url=${APIARY_HEALTH_URL:-http://127.0.0.1:$port/actuator/health/readiness}
env_line=$(printf 'APP=%q RELEASE=%q UNIT=%q UNIT_SERVICE=%q SYSTEMCTL=%q HEALTH_URL=%q TIMEOUT=%q ETC=%q ROOT=%q' \
  "$app" "$release" "$unit" "$service" "${APIARY_REMOTE_SYSTEMCTL:-systemctl}" "$health_url" "${APIARY_HEALTH_TIMEOUT:-120}" \
  "$remote_root/etc/apiary" "$remote_root")
log "switching and restarting"
if "$ssh_cmd" "$host" "$env_line bash -c $(printf '%q' "$remote_script")"; then
  log "deployed $release"
else
  log "deploy failed (rolled back if a previous release existed)"
  exit 1
fi
