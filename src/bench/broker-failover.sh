#!/usr/bin/env bash
# Benchmark (not a test): losing the broker node that leads the stock command queue, under load. Starts a three-node
# RabbitMQ cluster on this machine (src/scripts/rabbitmq-cluster.sh; the machine's own broker is left alone) and the
# services against all three nodes (RABBITMQ_ADDRESSES). 60 buyers order over 20 SKUs for [seconds] s (default 60);
# [kill_after] s in (default 15) the node leading stock-worker.commands is killed (kill -9); 5 s later the stock-worker
# that consumes is killed too (a second one stands by: the stock queues have a single active consumer); [down] s after
# the first kill (default 20) the node is started again; then 1,000 buyers rush one SKU of 10 units. Prints how long orders stopped being
# reserved after the kill, then checks the ends: no order left PENDING, both services' books agree (orders
# STOCK_RESERVED = reservations HELD), the stock ledger exact (per SKU the movements sum to what is available and
# reserved, and reserved = the held reservations' units), the rush not oversold, every queue quorum, no dead letter.
# Usage: src/bench/broker-failover.sh [seconds] [kill_after] [down]   (builds what it needs first)
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_RUN=${1:-60}; KILL_AFTER=${2:-15}; DOWN=${3:-20}
CLUSTER="bash src/scripts/rabbitmq-cluster.sh"
$CLUSTER start
export RABBITMQ_ADDRESSES; RABBITMQ_ADDRESSES=$($CLUSTER addresses)
export RABBITMQCTL="$CLUSTER ctl"
source src/bench/lib.sh
source src/bench/order-lib.sh
trap 'stop_services; $CLUSTER stop' EXIT
start_order_bench
: > "$OUT/broker-failover.txt"
commerce() { psql -h 127.0.0.1 -U postgres -d sansam_bench_commerce -tAc "$1"; }
stock() { psql -h 127.0.0.1 -U postgres -d sansam_bench_stock -tAc "$1"; }

# A second stock-worker stands by: the stock queues have a single active consumer.
STANDBY_PORT=$((STOCK_PORT + 1))
RABBITMQ_VHOST=sansam_bench REDIS_URL=redis://127.0.0.1:6379/2 PORT=$STANDBY_PORT \
  DB_URL=postgresql://127.0.0.1:5432/sansam_bench_stock \
  java -Xmx512m -jar stock-worker/target/quarkus-app/quarkus-run.jar > "$OUT/order-stock-worker-2.log" 2>&1 &
WORKER_PIDS=("${PIDS[0]}" $!)
echo "${WORKER_PIDS[1]}" >> "$EXTRA_PIDS" # the exit trap stops it
for _ in $(seq 1 90); do curl -fs "http://127.0.0.1:$STANDBY_PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 1; done

reserved_count() { commerce "select count(*) from orders where status = 'STOCK_RESERVED'"; }
# ms from $1 (date +%s%N) until an order is reserved after it, more than $2 in all (polled every 100 ms, 60 s at most)
ms_until_reserved() {
  for _ in $(seq 1 600); do
    if [ "$(reserved_count)" -gt "$2" ] \
       && [ "$(commerce "select count(*) from orders where status = 'STOCK_RESERVED' and updated_at > to_timestamp($1 / 1e9)")" -gt 0 ]; then
      echo $(( ($(date +%s%N) - $1) / 1000000 )); return
    fi
    sleep 0.1
  done
  echo none
}
# batches of stock commands a worker has processed (grows only on the one that consumes)
processed() {
  curl -fs "http://127.0.0.1:$1/q/metrics" | awk '/^sansam_inbox_batch_seconds_count\{channel="stock-commands"/ { s += $2 } END { printf "%d", s }'
}

# The faults: kill the broker node leading the stock command queue; then the stock-worker that is consuming (its
# standby takes over); revive the node. After each kill: how long until orders are reserved again.
inject() {
  sleep "$KILL_AFTER"
  local leader; leader=$($CLUSTER leader sansam_bench stock-worker.commands)
  local before; before=$(reserved_count)
  echo "[bench] killing broker node $leader (leads stock-worker.commands; $before orders reserved so far)"
  local killed; killed=$(date +%s%N)
  $CLUSTER kill "$leader"
  local flowing; flowing=$(ms_until_reserved "$killed" "$before")
  echo "[bench] orders reserved again $flowing ms after the kill; new leader $($CLUSTER leader sansam_bench stock-worker.commands)"
  echo "FLOWING_AGAIN_MS=$flowing" >> "$OUT/broker-failover.txt"
  sleep 5
  local a1 b1 a2 b2 active
  a1=$(processed "$STOCK_PORT"); b1=$(processed "$STANDBY_PORT"); sleep 1
  a2=$(processed "$STOCK_PORT"); b2=$(processed "$STANDBY_PORT")
  active=$([ $((b2 - b1)) -gt $((a2 - a1)) ] && echo 1 || echo 0)
  before=$(reserved_count)
  echo "[bench] killing the consuming stock-worker (batches of commands in the last second: $((a2 - a1)) / $((b2 - b1)))"
  local worker_killed; worker_killed=$(date +%s%N)
  kill -9 "${WORKER_PIDS[$active]}"
  local worker_flowing; worker_flowing=$(ms_until_reserved "$worker_killed" "$before")
  echo "[bench] orders reserved again $worker_flowing ms after the stock-worker was killed (the standby took over)"
  echo "WORKER_FLOWING_AGAIN_MS=$worker_flowing" >> "$OUT/broker-failover.txt"
  sleep $(( DOWN - ($(date +%s%N) - killed) / 1000000000 > 0 ? DOWN - ($(date +%s%N) - killed) / 1000000000 : 0 ))
  $CLUSTER revive "$leader"
  echo "[bench] broker node $leader is back"
  echo "INJECTED" >> "$OUT/broker-failover.txt"
}

order_bench -Dbench.mode=faults -Dbench.buyers=60 -Dbench.skus=20 -Dbench.seconds="$SECONDS_RUN" 2>&1 \
  | grep -E --line-buffered "RESULT|\[bench\]|Exception" | tee -a "$OUT/broker-failover.txt" | while read -r line; do
    echo "$line"
    if [[ "$line" == *FAULTS_WINDOW_OPEN* ]]; then inject & fi
  done
# (the services are this shell's background jobs too: wait for the fault's end, not for every job)
for _ in $(seq 1 300); do grep -q '^INJECTED' "$OUT/broker-failover.txt" && break; sleep 1; done

pending=0
for _ in $(seq 1 60); do
  pending=$(commerce "select count(*) from orders where status = 'PENDING'")
  [ "$pending" = 0 ] && break
  sleep 1
done
sleep 2 # the last events settle
reserved=$(commerce "select count(*) from orders where status = 'STOCK_RESERVED'")
held=$(stock "select count(*) from reservation where status = 'HELD'")
ledger_off=$(stock "select count(*) from stock_item i where i.available <> (select coalesce(sum(available_delta), 0) from stock_movement m where m.sku = i.sku)
  or i.reserved <> (select coalesce(sum(reserved_delta), 0) from stock_movement m where m.sku = i.sku)
  or i.reserved <> (select coalesce(sum(l.qty - l.restored_qty), 0) from reservation_line l join reservation r on r.order_id = l.order_id
                    where l.sku = i.sku and r.status = 'HELD')")
oversold=$(stock "select count(*) from stock_item where available < 0")
classic=$($CLUSTER ctl -q list_queues -p sansam_bench name type | awk 'NR > 1 && $2 != "quorum"' | wc -l)
rush=$(grep RESULT "$OUT/broker-failover.txt" | sed 's/^RESULT //')
flowing=$(sed -n 's/^FLOWING_AGAIN_MS=//p' "$OUT/broker-failover.txt")
worker_flowing=$(sed -n 's/^WORKER_FLOWING_AGAIN_MS=//p' "$OUT/broker-failover.txt")
bench_dead_letters | tee -a "$OUT/broker-failover.txt"
echo "RESULT pending=$pending orders_stock_reserved=$reserved reservations_held=$held books_agree=$([ "$reserved" = "$held" ] && echo yes || echo no) ledger_skus_off=$ledger_off oversold_skus=$oversold non_quorum_queues=$classic broker_node_flowing_again_ms=$flowing worker_flowing_again_ms=$worker_flowing rush: $rush" \
  | tee -a "$OUT/broker-failover.txt"
