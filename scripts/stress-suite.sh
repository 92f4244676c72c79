#!/usr/bin/env bash
# Runs the whole jest suite RUNS times (default 5) with BUSY busy loops (default 2) eating the CPU beside it, and
# stops at the first failure. A test that passes only on a quiet machine depends on timing: that is a defect.
#   scripts/node24 bash scripts/stress-suite.sh [RUNS] [BUSY]
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"; busy="${2:-2}"
pids=()
for _ in $(seq 1 "$busy"); do node -e 'for(;;){}' & pids+=($!); done
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
pass=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  if npx jest --silent > "/tmp/lookout-stress-$i.log" 2>&1; then
    pass=$((pass + 1)); echo "run $i: passed in $(( $(date +%s) - start )) s"
  else
    echo "run $i: FAILED in $(( $(date +%s) - start )) s (log: /tmp/lookout-stress-$i.log)"; grep -E '●' "/tmp/lookout-stress-$i.log" | head -20
    echo "stress: $pass passed, 1 failed"; exit 1
  fi
done
echo "stress: $pass passed, 0 failed under $busy busy loops"
