#!/usr/bin/env bash
# Benchmark (not a test): a QUEUE deal's waiting room. [buyers] verified buyers (default 5,000) join before the start
# of a deal of [units] units (default 50) that lets [rate] buyers in per second (default 200); each watches their place
# on its SSE stream and orders the moment it is their turn. Prints how long joining took, how soon after the start every
# buyer knew their place, the admitted buyers' order latency, the units sold (exactly [units] expected), and how soon
# after the last unit went every waiting buyer heard "sold out"; then the dead letters of both services.
# A warm-up drop of the same shape runs first (a started service has not yet compiled the streams' and the orders' code;
# a shop's replicas have, long before a drop); its figures are printed as "[bench] warm-up". BENCH_WARMUP=false skips it.
# BENCH_PGSS=1: the statements that cost PostgreSQL the most from 2 s before the start on, per unit sold.
# Usage: src/bench/deal-queue.sh [buyers] [units] [rate]   (builds what it needs first)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUYERS=${1:-5000}; UNITS=${2:-50}; RATE=${3:-200}
source src/bench/lib.sh
source src/bench/order-lib.sh
start_order_bench
: > "$OUT/deal-queue.txt"; rm -f "$OUT/order-profile.txt"
profile_when_measuring "$OUT/deal-queue.txt" "the deal starts in 2 s" 1 &
bench_statement_stats_from "$OUT/deal-queue.txt" "the deal starts in 2 s" &
# joining 5,000 buyers takes a while on two cores: the deal starts BENCH_LEAD seconds after it is made
BENCH_MAIN=FairDropBench order_bench -Dbench.mode=queue -Dbench.buyers="$BUYERS" -Dbench.units="$UNITS" \
  -Dbench.rate="$RATE" -Dbench.lead="${BENCH_LEAD:-40}" \
  -Dbench.warmup="${BENCH_WARMUP:-true}" 2>&1 \
  | grep --line-buffered -E "RESULT|\[bench\]|Exception" | tee "$OUT/deal-queue.txt"
bench_statement_report "$UNITS" | tee -a "$OUT/deal-queue.txt"
bench_dead_letters | tee -a "$OUT/deal-queue.txt"
