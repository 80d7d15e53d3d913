#!/usr/bin/env bash
# Benchmark (not a test): losing the broker node that leads the stock command queue, under load. Starts a three-node
# RabbitMQ cluster on this machine (src/scripts/rabbitmq-cluster.sh; the machine's own broker is left alone) and the
# services against all three nodes (RABBITMQ_ADDRESSES). 60 buyers order over 20 SKUs for [seconds] s (default 60);
# [kill_after] s in (default 15) the node leading stock-worker.commands.0 is killed (kill -9); 5 s later the busier of
# the two stock-workers (each consumes half of the command shards) is killed too, and the other takes its shards; [down] s after
# the first kill (default 20) the node is started again; then 1,000 buyers rush one SKU of 10 units. Prints how long orders stopped being
# reserved after the node's kill and how long until the surviving stock-worker consumed every shard, then checks the ends: no order left PENDING, both services' books agree (orders
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
# A second stock-worker: the two share the command shards out, and either takes the other's when it dies.
STANDBY_PORT=$((STOCK_PORT + 1))
start_stock_worker "$STANDBY_PORT" order-stock-worker-2 # stopped by the exit trap with the others
WORKER_PIDS=("${PIDS[0]}" "${PIDS[-1]}")
await_ready "$STANDBY_PORT"

# The faults: kill the broker node leading the first stock command shard; then the busier stock-worker (the other
# takes its shards over); revive the node. How long until orders are reserved again after the node's kill, and until the
# surviving worker consumes all 8 shards after the worker's.
inject() {
  sleep "$KILL_AFTER"
  local leader; leader=$($CLUSTER leader sansam_bench stock-worker.commands.0)
  local before; before=$(reserved_count)
  echo "[bench] killing broker node $leader (leads stock-worker.commands.0; $before orders reserved so far)"
  local killed; killed=$(date +%s%N)
  $CLUSTER kill "$leader"
  local flowing; flowing=$(ms_until_reserved "$killed" "$before")
  echo "[bench] orders reserved again $flowing ms after the kill; new leader $($CLUSTER leader sansam_bench stock-worker.commands.0)"
  echo "FLOWING_AGAIN_MS=$flowing" >> "$OUT/broker-failover.txt"
  sleep 5
  local consuming active survivor
  consuming=$(consuming_worker "$STOCK_PORT" "$STANDBY_PORT")
  active=$([ "$consuming" = "$STANDBY_PORT" ] && echo 1 || echo 0)
  survivor=$([ "$consuming" = "$STANDBY_PORT" ] && echo "$STOCK_PORT" || echo "$STANDBY_PORT")
  before=$(reserved_count)
  echo "[bench] killing the stock-worker on port $consuming (it holds $(shards_held "$consuming") shards)"
  local worker_killed; worker_killed=$(date +%s%N)
  kill -9 "${WORKER_PIDS[$active]}"
  local worker_flowing; worker_flowing=$(ms_until_shards "$worker_killed" "$survivor" 8)
  echo "[bench] the stock-worker on $survivor consumes all 8 shards $worker_flowing ms after the other was killed"
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
echo "RESULT $books non_quorum_queues=$classic broker_node_flowing_again_ms=$flowing worker_shards_taken_over_ms=$worker_flowing rush: $rush" \
  | tee -a "$OUT/broker-failover.txt"
