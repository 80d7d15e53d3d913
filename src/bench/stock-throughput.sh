#!/usr/bin/env bash
# Benchmark (not a test): reservations per second end to end through RabbitMQ (publish ReserveStock ->
# stock-worker transaction -> outbox -> StockReserved/StockRejected back), on one hot SKU and on many SKUs, first with
# one stock-worker (consuming all 8 command shards), then with two (4 shards each), beside a pgbench run against the
# same PostgreSQL server in the same run. For each round: reservations/s and the machine's busy CPU per reservation
# (ms, /proc/stat over the round: every process, the load client included); for each step each stock-worker's CPU
# (seeding the SKUs included). The ratios are the figures to watch; src/bench/capacity-model.py is calibrated with
# these costs.
# Usage: src/bench/stock-throughput.sh [orders]   (builds what it needs first)
set -euo pipefail
cd "$(dirname "$0")/../.."
ORDERS=${1:-4000}
PORT=${BENCH_PORT:-18082}
source src/bench/lib.sh
bench_prepare sansam_bench_stock sansam_bench_pg
bench_production_postgres
bench_build stock-worker

WORKERS=(); PORTS=()
start_worker() { # port
  PORT=$1 DB_URL=postgresql://127.0.0.1:5432/sansam_bench_stock RABBITMQ_VHOST=sansam_bench \
    REDIS_URL=redis://127.0.0.1:6379/2 \
    java -Xmx512m -jar stock-worker/target/quarkus-app/quarkus-run.jar > "$OUT/stock-worker-$1.log" 2>&1 &
  WORKERS+=($!); PORTS+=("$1")
  for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$1/q/health/ready" >/dev/null 2>&1 && break; sleep 1; done
}
trap 'kill "${WORKERS[@]}" 2>/dev/null || true; bench_restore_postgres' EXIT
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # a process's user + system ticks
TICK=$(getconf CLK_TCK)

# One step: the bench client against whatever workers run; prints its RESULT with each worker's CPU added.
step() { # label
  local before_workers=() pid
  for pid in "${WORKERS[@]}"; do before_workers+=("$(cpu_ticks "$pid")"); done
  local result
  result=$(RABBITMQ_TEST_VHOST=sansam_bench ./mvnw -B -q -pl stock-worker -Dsansam.prepare.skip \
    org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test -Dbench.clktck="$TICK" \
    -Dexec.mainClass=com.sansam.stock.bench.StockBench -Dbench.orders="$ORDERS" 2>&1 | grep -E "RESULT|CPU_SPLIT")
  grep CPU_SPLIT <<< "$result" | sed "s/^/workers=$1 /" | tee -a "$OUT/stock.txt"
  result=$(grep RESULT <<< "$result")
  local i=0 workers_cpu=""
  for pid in "${WORKERS[@]}"; do
    workers_cpu+="$(echo "scale=1; ($(cpu_ticks "$pid") - ${before_workers[$i]}) / $TICK" | bc)s "
    i=$((i + 1))
  done
  echo "$result workers=$1 worker_cpu=[${workers_cpu% }]" | tee -a "$OUT/stock.txt"
  # each worker's batches so far (mean time and size of one lane's group commit: the lane's capacity)
  local port
  for port in "${PORTS[@]}"; do
    curl -fs "http://127.0.0.1:$port/q/metrics" | awk -v port="$port" -v n="$1" '
      /^sansam_inbox_batch_seconds_sum\{/ { t += $2 } /^sansam_inbox_batch_seconds_count\{/ { c += $2 }
      /^sansam_inbox_batch_size_sum\{/ { m += $2 }
      END { if (c > 0) printf "workers=%s BATCHES port=%s batches=%d mean_batch_ms=%.2f mean_batch_size=%.1f\n", n, port, c, t * 1000 / c, m / c }' \
      | tee -a "$OUT/stock.txt"
  done
}

: > "$OUT/stock.txt"
echo "[bench] one stock-worker: $ORDERS reservations per round through RabbitMQ"
start_worker "$PORT"
ms_until_shards "$(date +%s%N)" "$PORT" 8 >/dev/null
step 1
echo "[bench] a second stock-worker joins: the shards are shared out"
joined=$(date +%s%N)
start_worker $((PORT + 1))
shared=$(ms_until_shards "$joined" $((PORT + 1)) 4)
echo "[bench] shards held: $(shards_held "$PORT") and $(shards_held $((PORT + 1))) ($shared ms after the second started)"
step 2

echo "[bench] pgbench (TPC-B-like, scale 10, 4 clients, 20 s) on the same server"
pgbench -h 127.0.0.1 -U postgres -i -s 10 -q sansam_bench_pg >/dev/null 2>&1
pg_before=$(machine_busy_ticks)
pgbench -h 127.0.0.1 -U postgres -c 4 -j 2 -T 20 sansam_bench_pg 2>/dev/null | grep -E "^tps|^number of transactions actually" \
  | tee "$OUT/pgbench.txt"
pg_ticks=$(( $(machine_busy_ticks) - pg_before ))
pg_tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$OUT/pgbench.txt")
pg_cpu=$(echo "scale=3; $pg_ticks * 1000 / $TICK / $pg_tx" | bc)
echo "[bench] pgbench: machine CPU ${pg_cpu} ms per transaction" | tee -a "$OUT/pgbench.txt"

tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$OUT/pgbench.txt" | head -1)
for n in 1 2; do
  line=$(grep "^RESULT.*workers=$n " "$OUT/stock.txt")
  hot=$(sed -n 's/.*hot_sku_reservations_per_s=\([0-9]*\).*/\1/p' <<< "$line")
  many=$(sed -n 's/.*many_skus_reservations_per_s=\([0-9]*\).*/\1/p' <<< "$line")
  cpu=$(sed -n 's/.*many_cpu_ms_per_reservation=\([0-9.]*\).*/\1/p' <<< "$line")
  echo "[bench] $n worker(s): hot SKU $hot res/s, many SKUs $many res/s, pgbench $tps tps -> ratio hot $(echo "scale=2; $hot/$tps" | bc), many $(echo "scale=2; $many/$tps" | bc); machine CPU per reservation (many SKUs) $cpu ms = $(echo "scale=1; $cpu/$pg_cpu" | bc) x pgbench's per transaction"
done
echo "[bench] dead letters in sansam_bench_stock: $(psql -h 127.0.0.1 -U postgres -Atc "select count(*) from dead_letter where replayed_at is null" sansam_bench_stock)"
