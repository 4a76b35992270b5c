#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# ApplicationStop: stop the running service (nothing to do on the first deployment).
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
if [ -f "$UNIT_DIR/$UNIT" ]; then
  log "stopping $UNIT"
  "$SYSTEMCTL" stop "$UNIT" || log "stop failed (not running?)"
else
  log "no $UNIT yet: first deployment"
fi
