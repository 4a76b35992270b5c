#!/usr/bin/env bash
# Memory benchmark: 64 MB cache bound, working set 3x that (weighted size, measured heap, hit ratio).
# Usage: bench/gradebook/run-memory.sh   (results in bench/gradebook/target/bench/memory.txt)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# JDK 25: JAVA_HOME, else the java on PATH
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java" -version 2>&1 | grep -q 'version "2[5-9]' || { echo "needs JDK 25+ (set JAVA_HOME)" >&2; exit 1; }
cd "$root"
mvn -B -ntp -q -pl gradebook-service -Dgradebook.ui.skip=true test-compile surefire:test \
  -Dtest=CacheMemoryBench -Dbench.out="$here/target/bench" -DargLine="-Xmx2g -Dbench.out=$here/target/bench"
cat "$here/target/bench/memory.txt"
