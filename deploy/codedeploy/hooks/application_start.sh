#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# ApplicationStart: enable and (re)start the unit; reload nginx so it sees the instance again.
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
"$SYSTEMCTL" enable "$UNIT"
"$SYSTEMCTL" restart "$UNIT"
log "started $UNIT"
if "$SYSTEMCTL" is-active --quiet nginx 2>/dev/null; then
  nginx -t -q && "$SYSTEMCTL" reload nginx && log "nginx reloaded"
fi
