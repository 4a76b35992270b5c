#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# AfterInstall: the Java 25+ to run is recorded (java_env.sh); the jar, its JVM flags and AOT cache
# (install_release.sh) become a new release under
# /opt/apiary/<service>/releases, `current` points to it; the systemd unit is installed; env files are created
# from the examples once (secrets are edited in place).
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
# first the Java 25+ the unit will run (/etc/apiary/java.env): without one, nothing is switched
mkdir -p "$ETC_DIR"
java=$("$(dirname "$0")/java_env.sh" "$ETC_DIR/java.env" "$ROOT_DIR")
log "services run on $java ($ETC_DIR/java.env)"
release=$(date -u +%Y%m%d%H%M%S)-$$
dir="$APP_DIR/releases/$release"
mkdir -p "$dir"
# the jar, its JVM flags and (when usable with this Java) its AOT cache
"$(dirname "$0")/install_release.sh" "$ROOT_DIR$java" "$SERVICE" "$BUNDLE_DIR/app" "$dir"
[ -f "$BUNDLE_DIR/README.md" ] && install -m 0644 "$BUNDLE_DIR/README.md" "$dir/README.md"
if [ -L "$APP_DIR/current" ]; then readlink "$APP_DIR/current" >"$APP_DIR/previous"; fi
ln -sfn "releases/$release" "$APP_DIR/current"
log "release $release is current"

install -m 0644 "$BUNDLE_DIR/systemd/$UNIT" "$UNIT_DIR/$UNIT"
for f in apiary "$SERVICE"; do
  if [ ! -f "$ETC_DIR/$f.env" ] && [ -f "$BUNDLE_DIR/env/$f.env.example" ]; then
    install -m 0640 "$BUNDLE_DIR/env/$f.env.example" "$ETC_DIR/$f.env"
    own "root:$RUN_USER" "$ETC_DIR/$f.env"
    log "created $ETC_DIR/$f.env from the example: put the real secrets there"
  fi
done

# keep the newest 3 releases (the current one and two to roll back to)
# shellcheck disable=SC2012
ls -1t "$APP_DIR/releases" | tail -n +4 | while read -r old; do rm -rf "${APP_DIR:?}/releases/$old"; done
"$SYSTEMCTL" daemon-reload
