#!/usr/bin/env bash
# Benchmark (not a test): a DRAW deal. [buyers] verified buyers (default 10,000) enter during a window of BENCH_WINDOW
# seconds (default 60) for [units] units (default 50). At the close prints how soon the draw was made and every winner
# had an order, whether the published seed recomputes the drawn order and the winners, then lets every winner's order
# lapse unpaid (payWithin 1 minute) and checks each unit passed on exactly once to the next in the drawn order; then
# the dead letters of both services.
# Usage: src/bench/deal-draw.sh [buyers] [units]   (builds what it needs first)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUYERS=${1:-10000}; UNITS=${2:-50}
source src/bench/lib.sh
source src/bench/order-lib.sh
start_order_bench
BENCH_MAIN=FairDropBench order_bench -Dbench.mode=draw -Dbench.buyers="$BUYERS" -Dbench.units="$UNITS" \
  -Dbench.window="${BENCH_WINDOW:-60}" 2>&1 \
  | grep --line-buffered -E "RESULT|\[bench\]|Exception" | tee "$OUT/deal-draw.txt"
bench_dead_letters | tee -a "$OUT/deal-draw.txt"
