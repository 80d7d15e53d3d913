#!/usr/bin/env bash
# Benchmark (not a test): reservations per second end to end through RabbitMQ (publish ReserveStock ->
# stock-worker transaction -> outbox -> StockReserved/StockRejected back), on one hot SKU and on many SKUs,
# beside a pgbench run against the same PostgreSQL server in the same run. The ratio is the figure to watch.
# Usage: src/bench/stock-throughput.sh [orders]   (builds what it needs first)
set -euo pipefail
cd "$(dirname "$0")/../.."
ORDERS=${1:-4000}
PORT=${BENCH_PORT:-18082}
source src/bench/lib.sh
bench_prepare sansam_bench_stock sansam_bench_pg
bench_production_postgres
bench_build stock-worker

PORT=$PORT DB_URL=postgresql://127.0.0.1:5432/sansam_bench_stock RABBITMQ_VHOST=sansam_bench REDIS_URL=redis://127.0.0.1:6379/2 \
  java -Xmx512m -jar stock-worker/target/quarkus-app/quarkus-run.jar > "$OUT/stock-worker.log" 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true; bench_restore_postgres' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 1; done

echo "[bench] $ORDERS reservations per round through RabbitMQ"
RABBITMQ_TEST_VHOST=sansam_bench ./mvnw -B -q -pl stock-worker -Dsansam.prepare.skip \
  org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
  -Dexec.mainClass=com.sansam.stock.bench.StockBench -Dbench.orders="$ORDERS" 2>&1 | grep RESULT | tee "$OUT/stock.txt"

echo "[bench] pgbench (TPC-B-like, scale 10, 4 clients, 20 s) on the same server"
pgbench -h 127.0.0.1 -U postgres -i -s 10 -q sansam_bench_pg >/dev/null 2>&1
pgbench -h 127.0.0.1 -U postgres -c 4 -j 2 -T 20 sansam_bench_pg 2>/dev/null | grep -E "^tps" | tee "$OUT/pgbench.txt"

hot=$(sed -n 's/.*hot_sku_reservations_per_s=\([0-9]*\).*/\1/p' "$OUT/stock.txt")
many=$(sed -n 's/.*many_skus_reservations_per_s=\([0-9]*\).*/\1/p' "$OUT/stock.txt")
tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$OUT/pgbench.txt" | head -1)
echo "[bench] hot SKU: $hot res/s, many SKUs: $many res/s, pgbench: $tps tps -> ratio hot $(echo "scale=2; $hot/$tps" | bc), many $(echo "scale=2; $many/$tps" | bc)"
