#!/usr/bin/env bash
# Picks the Java the services run on and writes it as APIARY_JAVA to ENV_FILE (/etc/apiary/java.env), which the
# systemd units read: the newest JDK/JRE of version 25 or later under ROOT/usr/lib/jvm (its `release` file names the
# version), else the host's default `java` if that is 25+; else it fails, naming what to install. Prints the path.
# Usage: java_env.sh ENV_FILE [ROOT]    (ROOT: a test seam, a temporary root for /usr/lib/jvm; never set in production)
set -euo pipefail
out=$1
root=${2:-}
best="" bestv=0
for d in "$root"/usr/lib/jvm/*/; do
  d=${d%/}
  if [ ! -x "$d/bin/java" ] || [ ! -f "$d/release" ]; then continue; fi
  v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$d/release")
  if [ "${v:-0}" -ge 25 ] && [ "$v" -gt "$bestv" ]; then
    best=$d
    bestv=$v
  fi
done
if [ -n "$best" ]; then
  java=${best#"$root"}/bin/java
elif [ -z "$root" ] && command -v java >/dev/null \
    && java -XshowSettings:properties -version 2>&1 | grep -qE 'java\.specification\.version = (2[5-9]|[3-9][0-9])'; then
  java=$(command -v java)
else
  echo "no Java 25 or later: install one under /usr/lib/jvm (e.g. the Temurin 25 JRE package)" >&2
  exit 1
fi
tmp="$out.tmp.$$"
printf '# written at each deploy by java_env.sh: the Java the Apiary services run on\nAPIARY_JAVA=%s\n' "$java" >"$tmp"
chmod 0644 "$tmp"
mv "$tmp" "$out"
echo "$java"
