#!/usr/bin/env bash
# 1,000 score events/s on Redis while reading over HTTP: all applied, no read after an event's
# processing shows the old score. Usage: bench/gradebook/run-events.sh  (results in target/bench/events.txt)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# JDK 25: JAVA_HOME, else the java on PATH
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java" -version 2>&1 | grep -q 'version "2[5-9]' || { echo "needs JDK 25+ (set JAVA_HOME)" >&2; exit 1; }
cd "$root"
mvn -B -ntp -q -pl gradebook-service -Dgradebook.ui.skip=true test-compile surefire:test \
  -Dtest=EventsUnderLoadBench -DargLine="-Dbench.out=$here/target/bench"
cat "$here/target/bench/events.txt"
