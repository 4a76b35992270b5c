#!/usr/bin/env bash
# All gradebook benchmarks (issue 5), one after the other; each writes its own result file under target/.
#   run-calc.sh    JMH: calculation per 40x80 section (+ thread CPU time)
#   run-memory.sh  64 MB cache bound, working set 3x: weighted size, measured heap, hit ratio
#   run-events.sh  1,000 score events/s while reading: all applied, no stale read after processing
#   run-http.sh    warm vs cold GET /sections/{id} through nginx under wrk, against a Rails-like legacy stand-in
# Usage: bench/gradebook/run.sh [http duration, default 15s]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/run-calc.sh"
"$here/run-memory.sh"
"$here/run-events.sh"
"$here/run-http.sh" "${1:-15s}"
echo "results: $here/target/{jmh-calc.json,calc-cpu.txt,bench/memory.txt,bench/events.txt,http/summary-rails.txt}"
