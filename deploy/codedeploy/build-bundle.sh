#!/usr/bin/env bash
# build-bundle.sh SERVICE [OUT_DIR]: the CodeDeploy revision of one service as OUT_DIR/apiary-SERVICE.tar.gz
# (default OUT_DIR: SERVICE/target). Uses SERVICE/target/SERVICE.jar (./apiary build first) or $APIARY_BUNDLE_JAR,
# its JVM flags (deploy/jvm/SERVICE.args) and, when ./apiary build made one from that jar, its AOT cache (app/aot/).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
service=${1:?usage: build-bundle.sh pdf-service|alert-service|gradebook-service [OUT_DIR]}
case "$service" in
  pdf-service) port=8081 ;;
  alert-service) port=8082 ;;
  gradebook-service) port=8083 ;;
  *) echo "unknown service: $service" >&2; exit 2 ;;
esac
out=${2:-$root/$service/target}
jar=${APIARY_BUNDLE_JAR:-$root/$service/target/$service.jar}
[ -f "$jar" ] || { echo "$jar is missing: ./apiary build first" >&2; exit 1; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/app" "$stage/systemd" "$stage/env" "$stage/hooks" "$out"
cp "$here/$service/appspec.yml" "$stage/appspec.yml"
printf 'SERVICE=%s\nPORT=%s\n' "$service" "$port" >"$stage/service.env"
cp "$jar" "$stage/app/$service.jar"
cp "$root/deploy/jvm/$service.args" "$stage/app/jvm.args"
# the AOT cache (scripts/aot.sh) when ./apiary build made one from this jar; APIARY_BUNDLE_AOT_DIR: a test seam
aot_dir=${APIARY_BUNDLE_AOT_DIR:-}
if [ -z "$aot_dir" ]; then
  ROOT=$root
  log() { echo "$*" >&2; }
  die() { echo "$*" >&2; exit 1; }
  # shellcheck source=scripts/aot.sh
  . "$root/scripts/aot.sh"
  if cache=$(aot_fresh "$jar" 2>/dev/null); then aot_dir=$(dirname "$cache"); fi
fi
if [ -n "$aot_dir" ]; then
  mkdir -p "$stage/app/aot"
  cp -p "$aot_dir/$service.jar" "$aot_dir/$service.aot" "$stage/app/aot/"
  cp -rp "$aot_dir/lib" "$stage/app/aot/lib"
else
  echo "no AOT cache for this jar (./apiary build makes one): the bundle starts without it" >&2
fi
cp "$root/deploy/systemd/apiary-$service.service" "$stage/systemd/"
cp "$root/deploy/env/apiary.env.example" "$root/deploy/env/$service.env.example" "$stage/env/"
cp "$here/hooks/"*.sh "$stage/hooks/"
[ -f "$root/$service/README.md" ] && cp "$root/$service/README.md" "$stage/README.md"
chmod +x "$stage/hooks/"*.sh
tar -C "$stage" -czf "$out/apiary-$service.tar.gz" .
echo "$out/apiary-$service.tar.gz"
