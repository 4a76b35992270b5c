# shellcheck shell=bash disable=SC2034
# Shared by the CodeDeploy hook scripts. A bundle holds service.env (SERVICE, PORT), app/<service>.jar,
# app/jvm.args (deploy/jvm/<service>.args), app/aot/ (the AOT cache with the extracted jar, when built),
# systemd/apiary-<service>.service, env/*.example and these hooks.
# Test seams (never set in production): APIARY_ROOT (a temporary root for every path), APIARY_SYSTEMCTL,
# APIARY_USERADD, APIARY_HEALTH_URL, APIARY_VALIDATE_TIMEOUT.
set -euo pipefail

BUNDLE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=/dev/null
. "$BUNDLE_DIR/service.env"
: "${SERVICE:?service.env must set SERVICE}" "${PORT:?service.env must set PORT}"

ROOT_DIR=${APIARY_ROOT:-}
SYSTEMCTL=${APIARY_SYSTEMCTL:-systemctl}
APP_DIR=$ROOT_DIR/opt/apiary/$SERVICE
DATA_DIR=$ROOT_DIR/var/lib/apiary/$SERVICE
ETC_DIR=$ROOT_DIR/etc/apiary
UNIT_DIR=$ROOT_DIR/etc/systemd/system
UNIT=apiary-$SERVICE.service
HEALTH_URL=${APIARY_HEALTH_URL:-http://127.0.0.1:$PORT/actuator/health/readiness}
RUN_USER=apiary

log() { printf '[apiary-deploy %s] %s\n' "$SERVICE" "$*"; }

# chown only when the service user exists (a test root has none)
own() { if id "$RUN_USER" >/dev/null 2>&1; then chown "$@"; fi; }
