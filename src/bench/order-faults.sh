#!/usr/bin/env bash
# Benchmark (not a test) for broker restarts under load: 60 buyers over 20 SKUs place orders for 40 s while the
# stock-worker is killed and restarted and RabbitMQ is stopped for 6 s and started again; then 1,000 buyers rush one
# SKU with 10 units. Repeated [rounds] times on the same running services. After each round: how many orders
# are still PENDING after 60 s (must be 0) and whether both services' books agree (orders STOCK_RESERVED in
# commerce-api = reservations HELD in stock-worker).
# Usage: src/bench/order-faults.sh [rounds]   (builds what it needs first; stops and starts the machine's RabbitMQ)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
source src/bench/lib.sh
source src/bench/order-lib.sh
start_order_bench
CURRENT_WORKER=src/bench/results/stock-worker.pid
echo "${PIDS[0]}" > "$CURRENT_WORKER"

# Kills the running stock-worker (whichever round started it) and starts a new one. Runs in a subshell, so the
# current pid lives in a file, not a variable.
restart_stock_worker() {
  kill -9 "$(cat "$CURRENT_WORKER")" 2>/dev/null || true
  sleep 2
  RABBITMQ_VHOST=sansam_bench REDIS_URL=redis://127.0.0.1:6379/2 PORT=$STOCK_PORT \
    DB_URL=postgresql://127.0.0.1:5432/sansam_bench_stock \
    java -Xmx512m -jar stock-worker/target/quarkus-app/quarkus-run.jar >> "$OUT/order-stock-worker.log" 2>&1 &
  echo $! > "$CURRENT_WORKER"
  echo $! >> "$EXTRA_PIDS" # the exit trap stops it
}

for round in $(seq 1 "$ROUNDS"); do
  echo "[bench] round $round"
  order_bench -Dbench.mode=faults -Dbench.buyers=60 -Dbench.skus=20 -Dbench.seconds=40 2>&1 \
    | grep -E --line-buffered "RESULT|\[bench\]|Exception" | tee "$OUT/order-faults-$round.txt" | while read -r line; do
      echo "$line"
      if [[ "$line" == *FAULTS_WINDOW_OPEN* ]]; then
        ( sleep 8; echo "[bench] killing and restarting stock-worker"; restart_stock_worker
          sleep 12; echo "[bench] stopping RabbitMQ for 6 s"; rabbitmqctl -q stop_app; sleep 6; rabbitmqctl -q start_app
          echo "[bench] RabbitMQ started" ) &
      fi
    done
  wait_pending=0
  for _ in $(seq 1 60); do
    wait_pending=$(psql -h 127.0.0.1 -U postgres -d sansam_bench_commerce -tAc "select count(*) from orders where status = 'PENDING'")
    [ "$wait_pending" = 0 ] && break
    sleep 1
  done
  reserved=$(psql -h 127.0.0.1 -U postgres -d sansam_bench_commerce -tAc "select count(*) from orders where status = 'STOCK_RESERVED'")
  held=$(psql -h 127.0.0.1 -U postgres -d sansam_bench_stock -tAc "select count(*) from reservation where status = 'HELD'")
  workers=$(pgrep -fc "stock-worker/target/quarkus-app/quarkus-run.jar" || true)
  echo "round=$round stock_workers_running=$workers pending=$wait_pending orders_stock_reserved=$reserved reservations_held=$held books_agree=$([ "$reserved" = "$held" ] && echo yes || echo no)" \
    | tee -a "$OUT/order-faults-summary.txt"
done
