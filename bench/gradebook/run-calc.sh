#!/usr/bin/env bash
# JMH: grade calculation time per 40 x 80 section (issue 5 target: <= 100 us).
# Usage: bench/gradebook/run-calc.sh [extra JMH args]   (needs JDK 25 and Maven)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# JDK 25: JAVA_HOME, else the java on PATH
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java" -version 2>&1 | grep -q 'version "2[5-9]' || { echo "needs JDK 25+ (set JAVA_HOME)" >&2; exit 1; }
(cd "$root" && mvn -B -ntp -q -N install)            # the parent pom this bench inherits from
mvn -B -ntp -q -f "$here/pom.xml" package -DskipTests
"$java" -jar "$here/target/gradebook-bench.jar" CalculatorBenchmark \
  -rf json -rff "$here/target/jmh-calc.json" "$@"
"$java" -cp "$here/target/gradebook-bench.jar" dev.apiary.bench.gradebook.CalcCpuTime | tee "$here/target/calc-cpu.txt"
