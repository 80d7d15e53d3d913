#!/usr/bin/env bash
# Benchmark (not a test): steady order load. 200 logged-in buyers in a closed loop over 200 SKUs for 60 s (after a
# BENCH_WARMUP seconds of warm-up, default 30: the JIT compilers still take a good part of the two cores well into the
# first minute): POST /api/v1/orders, then wait until the order is decided (status from Redis), repeat. Prints
# orders reaching STOCK_RESERVED per second, p50/p99 of the POST and of placed -> STOCK_RESERVED, and pgbench's
# tps (TPC-B-like, scale 10, 16 clients) on the same PostgreSQL in the same run (before the services start and again
# after they stopped: the mean of both is the reference), with their ratio.
# Usage: src/bench/order-throughput.sh [buyers] [skus] [seconds]   (builds what it needs first)
# The buyers POST with Prefer: wait=30 (answered once decided, as the storefront does); BENCH_PREFER_WAIT=false places
# the order and then long-polls its status, so that the POST's latency is the placing alone.
# Also prints the CPU time each process (group) used per reserved order during the measured phase, the machine's busy
# CPU per reserved order and per pgbench transaction (/proc/stat over each window) and their ratio (cpu_ratio), and
# the Redis commands per reserved order (INFO commandstats over the measured phase).
# BENCH_JFR=1 also records 20 s of Java Flight Recorder profile of both services once the measured phase starts
# (src/bench/results/order-*.jfr; read with `jfr print --events jdk.ExecutionSample`), plus pg_stat_activity and the
# queue depths every 5 s of it (src/bench/results/order-profile.txt). BENCH_PGSS=1 prints the statements that cost
# PostgreSQL the most per reserved order in the measured phase (pg_stat_statements: PostgreSQL is restarted to load
# it, and again at the end to take it out).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUYERS=${1:-200}; SKUS=${2:-200}; SECONDS_RUN=${3:-60}
source src/bench/lib.sh
source src/bench/order-lib.sh
bench_prepare sansam_bench_commerce sansam_bench_stock sansam_bench_pg
bench_production_postgres
bench_statement_stats sansam_bench_commerce sansam_bench_stock
bench_build stock-worker,commerce-api
command -v pgbench >/dev/null || { echo "[bench] pgbench is missing (Debian: postgresql-contrib / postgresql-client)"; exit 1; }
# pgbench first, before the services start: their start-up (JIT compilers, migrations) would otherwise count in
# the machine's CPU per pgbench transaction, and it did, by up to a factor of two from one run to the next
echo "[bench] pgbench (TPC-B-like, scale 10, 16 clients, 20 s) on the same server"
TPS=$(pgbench_tps)
echo "[bench] pgbench tps=$TPS"
start_order_services
: > "$OUT/order-throughput.txt"; rm -f "$OUT/order-profile.txt"
profile_when_measuring "$OUT/order-throughput.txt" &
bench_statement_stats_from "$OUT/order-throughput.txt" measuring &
cpu_per_order_when_measuring "$OUT/order-throughput.txt" > "$OUT/order-cpu.txt" &
CPU_WATCH=$!
redis_calls_per_order_when_measuring "$OUT/order-throughput.txt" > "$OUT/order-redis.txt" &
REDIS_WATCH=$!
order_bench -Dbench.mode=steady -Dbench.prefer-wait="${BENCH_PREFER_WAIT:-true}" -Dbench.warmup="${BENCH_WARMUP:-30}" -Dbench.buyers="$BUYERS" -Dbench.skus="$SKUS" -Dbench.seconds="$SECONDS_RUN" 2>&1 \
  | grep --line-buffered -E "RESULT|\[bench\]|Exception" | tee "$OUT/order-throughput.txt"
wait "$CPU_WATCH" || true; cat "$OUT/order-cpu.txt"
wait "$REDIS_WATCH" || true; cat "$OUT/order-redis.txt"
# a status read that misses Redis reads the database (the two-request flow's GET can come before the first status)
echo "[bench] order status reads, from Redis / from the database: $(curl -fs "http://127.0.0.1:$COMMERCE_PORT/q/metrics" \
  | awk -F' ' '/^sansam_order_status_reads_total\{source="cache"/ { c = $2 } /^sansam_order_status_reads_total\{source="database"/ { d = $2 }
    END { printf "%d / %d", c, d }')"
# the outbox relays send the rows of a round that go to one queue as one broker message; the inbox applies what
# arrived together in one transaction (group commit: the cheaper a step, the smaller its batches)
for service in "commerce-api $COMMERCE_PORT" "stock-worker $STOCK_PORT"; do
  set -- $service
  echo "[bench] $1: outbox rows per broker message $(curl -fs "http://127.0.0.1:$2/q/metrics" \
    | awk '/^sansam_outbox_bundle_rows_count/ { c = $2 } /^sansam_outbox_bundle_rows_sum/ { s = $2 }
      END { if (c > 0) printf "%.2f (%d rows in %d messages)", s / c, s, c; else printf "none sent" }'),\
 messages per inbox batch $(curl -fs "http://127.0.0.1:$2/q/metrics" \
    | awk '/^sansam_messages_processed_total/ { m += $2 } /^sansam_inbox_batch_transaction_seconds_count/ { b += $2 }
      END { if (b > 0) printf "%.2f (%d messages, %d batches)", m / b, m, b; else printf "none" }')"
done
RATE=$(sed -n 's/.*orders_reserved_per_s=\([0-9.]*\).*/\1/p' "$OUT/order-throughput.txt")
LINE=$(grep RESULT "$OUT/order-throughput.txt" | sed 's/^RESULT //')
bench_statement_report "$(awk -v r="$RATE" -v s="$SECONDS_RUN" 'BEGIN { printf "%.0f", r * s }')" | tee -a "$OUT/order-throughput.txt"
bench_dead_letters | tee -a "$OUT/order-throughput.txt"
# pgbench again once the services stopped: this machine's speed drifts by tens of per cent within minutes, so the
# reference brackets the orders and the ratio is taken against the mean of both (the drift is printed beside it)
PG_CPU_BEFORE=$(cat "$OUT/pgbench-cpu.txt"); TPS_BEFORE=$TPS
for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
for pid in "${PIDS[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done; done
TPS_AFTER=$(pgbench_tps); PG_CPU_AFTER=$(cat "$OUT/pgbench-cpu.txt")
TPS=$(awk -v a="$TPS_BEFORE" -v b="$TPS_AFTER" 'BEGIN { printf "%.1f", (a + b) / 2 }')
PG_CPU=$(awk -v a="$PG_CPU_BEFORE" -v b="$PG_CPU_AFTER" 'BEGIN { printf "%.3f", (a + b) / 2 }')
echo "[bench] pgbench before / after the orders: $TPS_BEFORE / $TPS_AFTER tps, $PG_CPU_BEFORE / $PG_CPU_AFTER ms of machine CPU per transaction (drift $(awk -v a="$PG_CPU_BEFORE" -v b="$PG_CPU_AFTER" 'BEGIN { printf "%+.0f", (b - a) * 100 / a }') %)"
ORDER_CPU=$(sed -n 's/.* machine=\([0-9.]*\).*/\1/p' "$OUT/order-cpu.txt")
echo "[bench] machine CPU per reserved order ${ORDER_CPU} ms, per pgbench transaction ${PG_CPU} ms (mean): cpu_ratio=$(awk -v o="$ORDER_CPU" -v p="$PG_CPU" 'BEGIN { printf "%.1f", o / p }') (goal <= 4)"
echo "ratio=$(awk -v r="$RATE" -v t="$TPS" 'BEGIN { printf "%.3f", r / t }') cpu_ratio=$(awk -v o="$ORDER_CPU" -v p="$PG_CPU" 'BEGIN { printf "%.1f", o / p }') pgbench_tps=$TPS $LINE"
