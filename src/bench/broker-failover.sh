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
# A second stock-worker stands by: the stock queues have a single active consumer.
STANDBY_PORT=$((STOCK_PORT + 1))
start_stock_worker "$STANDBY_PORT" order-stock-worker-2 # stopped by the exit trap with the others
WORKER_PIDS=("${PIDS[0]}" "${PIDS[-1]}")
await_ready "$STANDBY_PORT"

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
  local consuming active
  consuming=$(consuming_worker "$STOCK_PORT" "$STANDBY_PORT")
  active=$([ "$consuming" = "$STANDBY_PORT" ] && echo 1 || echo 0)
  before=$(reserved_count)
  echo "[bench] killing the consuming stock-worker (port $consuming)"
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

books=$(order_books)
classic=$($CLUSTER ctl -q list_queues -p sansam_bench name type | awk 'NR > 1 && $2 != "quorum"' | wc -l)
rush=$(grep RESULT "$OUT/broker-failover.txt" | sed 's/^RESULT //')
flowing=$(sed -n 's/^FLOWING_AGAIN_MS=//p' "$OUT/broker-failover.txt")
worker_flowing=$(sed -n 's/^WORKER_FLOWING_AGAIN_MS=//p' "$OUT/broker-failover.txt")
bench_dead_letters | tee -a "$OUT/broker-failover.txt"
echo "RESULT $books non_quorum_queues=$classic broker_node_flowing_again_ms=$flowing worker_flowing_again_ms=$worker_flowing rush: $rush" \
  | tee -a "$OUT/broker-failover.txt"
