#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# ValidateService: wait until the service reports ready (/actuator/health/readiness includes Redis).
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
timeout=${APIARY_VALIDATE_TIMEOUT:-150}
deadline=$((SECONDS + timeout))
until curl -fsS -o /dev/null --max-time 3 "$HEALTH_URL"; do
  if [ $SECONDS -ge $deadline ]; then
    log "not ready after ${timeout}s ($HEALTH_URL)"
    "$SYSTEMCTL" status --no-pager "$UNIT" || true
    exit 1
  fi
  sleep 2
done
log "ready ($HEALTH_URL)"
