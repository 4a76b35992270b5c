#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# BeforeInstall: the service user and the directories the release goes into.
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
if ! id "$RUN_USER" >/dev/null 2>&1; then
  log "creating system user $RUN_USER"
  ${APIARY_USERADD:-useradd} --system --home-dir /var/lib/apiary --shell /usr/sbin/nologin "$RUN_USER"
fi
mkdir -p "$APP_DIR/releases" "$DATA_DIR" "$ETC_DIR" "$UNIT_DIR"
rm -rf "$APP_DIR/incoming"
own -R "$RUN_USER:$RUN_USER" "$DATA_DIR"
log "directories ready under ${ROOT_DIR:-/}"
