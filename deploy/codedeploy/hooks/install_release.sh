#!/usr/bin/env bash
# Fills one release directory with what the systemd unit runs:
#   DIR/<service>.jar   the jar (`-jar`)
#   DIR/jvm.args        the JVM flags (`java @DIR/jvm.args`): deploy/jvm/<service>.args, plus -XX:AOTCache when the
#                       AOT cache is usable here
#   DIR/lib/, DIR/<service>.aot   with the AOT cache only: <service>.jar is then the extracted jar (plain, its
#                       libraries in lib/), as the cache was trained on (scripts/aot.sh)
# The cache is checked with the Java the unit runs (-XX:AOTMode=on fails when the JDK build, the flags or the jars'
# times differ); an unusable one is left out and the boot jar runs instead, only slower to start.
# Usage: install_release.sh JAVA SERVICE SRC DIR   (SRC holds <service>.jar, jvm.args and optionally aot/)
set -euo pipefail
java=$1 service=$2 src=$3 dir=$4
mkdir -p "$dir"
install -m 0644 "$src/jvm.args" "$dir/jvm.args"
if [ -f "$src/aot/$service.aot" ] && [ -f "$src/aot/$service.jar" ] && [ -d "$src/aot/lib" ]; then
  # cp -p: the cache records each jar's size and modification time
  cp -p "$src/aot/$service.jar" "$src/aot/$service.aot" "$dir/"
  cp -rp "$src/aot/lib" "$dir/lib"
  if "$java" "@$dir/jvm.args" -XX:AOTMode=on "-XX:AOTCache=$dir/$service.aot" -cp "$dir/$service.jar" -version \
      >"$dir/aot-check.log" 2>&1; then
    printf '# the AOT cache (checked at install with this Java)\n-XX:AOTCache=%s\n' "$dir/$service.aot" >>"$dir/jvm.args"
    rm -f "$dir/aot-check.log"
    echo "AOT cache in use ($dir/$service.aot)"
    exit 0
  fi
  echo "AOT cache not usable with $java (see $dir/aot-check.log): starting without it" >&2
  rm -rf "${dir:?}/lib" "${dir:?}/$service.aot" "${dir:?}/$service.jar"
fi
install -m 0644 "$src/$service.jar" "$dir/$service.jar"
