#!/usr/bin/env bash
# Benchmark (not a test): two replicas of commerce-api and two of stock-worker on this machine, replicas killed under
# load. The load client spreads the buyers' requests over both APIs at random (BENCH_URLS) and, when one is gone, sends
# the request again to the other, as an ingress would (an order's repeat carries its Idempotency-Key).
#  1. 60 buyers order over 20 SKUs for [seconds] s (default 40); [kill_after] s in (default 15) one API and the
#     busier stock-worker (each consumes half of the command shards) are killed (kill -9) and started again [down] s
#     later (default 10, as Kubernetes restarts a pod); then 1,000 buyers rush one SKU of 10 units over both APIs, and
#     0.3 s into the rush the other API and the busier stock-worker are killed (and started again 10 s later).
#  2. A time deal's drop over both APIs: 1,000 buyers for 20 units.
# Then the ends: no order PENDING, both services' books agree, the stock ledger exact, no oversell, the rush and the
# drop exact, no dead letter; how long orders stopped being reserved after the first kill, and how long until the
# surviving stock-worker consumed the killed one's shards too.
# Usage: src/bench/replicas.sh [seconds] [kill_after] [down]   (builds what it needs first)
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_RUN=${1:-40}; KILL_AFTER=${2:-15}; DOWN=${3:-10}
source src/bench/lib.sh
source src/bench/order-lib.sh
start_order_bench
: > "$OUT/replicas.txt"
API_PORTS=("$COMMERCE_PORT" $((COMMERCE_PORT + 1)))
WORKER_PORTS=("$STOCK_PORT" $((STOCK_PORT + 1)))
start_stock_worker "${WORKER_PORTS[1]}" order-stock-worker-2
start_commerce_api "${API_PORTS[1]}" order-commerce-api-2
await_ready "${WORKER_PORTS[1]}" "${API_PORTS[1]}"
export BENCH_URLS="http://127.0.0.1:${API_PORTS[0]},http://127.0.0.1:${API_PORTS[1]}"

# Kills (kill -9) what listens on port $1 and starts it again $3 s later ($2: api or worker, $4: its log's name).
kill_and_restart() {
  kill -9 "$(pid_on "$1")"
  sleep "$3"
  if [ "$2" = api ]; then start_commerce_api "$1" "$4-restarted"; else start_stock_worker "$1" "$4-restarted"; fi
  echo "${PIDS[-1]}" >> "$EXTRA_PIDS" # started in this subshell: the exit trap stops it
  await_ready "$1"
  echo "[bench] $2 on port $1 is back"
}

# During the steady load: one API and the busier stock-worker killed at once; how long until orders are reserved
# again, and until the other stock-worker consumes every shard (the killed one's leases expire first).
inject_steady() {
  sleep "$KILL_AFTER"
  local worker; worker=$(consuming_worker "${WORKER_PORTS[@]}")
  local survivor; survivor=$([ "$worker" = "${WORKER_PORTS[0]}" ] && echo "${WORKER_PORTS[1]}" || echo "${WORKER_PORTS[0]}")
  local before; before=$(reserved_count)
  echo "[bench] killing the API on ${API_PORTS[1]} and the stock-worker on $worker, holding $(shards_held "$worker") shards ($before orders reserved so far)"
  local killed; killed=$(date +%s%N)
  kill_and_restart "${API_PORTS[1]}" api "$DOWN" order-commerce-api-2 &
  kill_and_restart "$worker" worker "$DOWN" "order-stock-worker-$worker" &
  local flowing; flowing=$(ms_until_reserved "$killed" "$before")
  echo "[bench] orders reserved again $flowing ms after the kills"
  echo "FLOWING_AGAIN_MS=$flowing" >> "$OUT/replicas.txt"
  local taken; taken=$(ms_until_shards "$killed" "$survivor" 8)
  echo "[bench] the stock-worker on $survivor consumes all 8 shards $taken ms after the kill"
  echo "SHARDS_TAKEN_OVER_MS=$taken" >> "$OUT/replicas.txt"
  wait
}

# 0.3 s into the rush: the other API and the busier stock-worker.
inject_rush() {
  local worker; worker=$(consuming_worker "${WORKER_PORTS[@]}")
  sleep 0.3
  echo "[bench] killing the API on ${API_PORTS[0]} and the stock-worker on $worker during the rush"
  kill_and_restart "${API_PORTS[0]}" api "$DOWN" order-commerce-api &
  kill_and_restart "$worker" worker "$DOWN" "order-stock-worker-$worker" &
  wait
  echo "INJECTED" >> "$OUT/replicas.txt"
}

order_bench -Dbench.mode=faults -Dbench.buyers=60 -Dbench.skus=20 -Dbench.seconds="$SECONDS_RUN" 2>&1 \
  | grep -E --line-buffered "RESULT|\[bench\]|Exception" | tee -a "$OUT/replicas.txt" | while read -r line; do
    echo "$line"
    if [[ "$line" == *FAULTS_WINDOW_OPEN* ]]; then inject_steady & fi
    if [[ "$line" == *"buyers at once for one SKU"* ]]; then inject_rush & fi
  done
for _ in $(seq 1 120); do grep -q '^INJECTED' "$OUT/replicas.txt" && break; sleep 1; done
rush=$(grep '^RESULT' "$OUT/replicas.txt" | tail -1 | sed 's/^RESULT //')
books=$(order_books)
echo "[bench] after the faults and the rush: $books"

echo "[bench] a time deal's drop over both APIs"
order_bench -Dbench.mode=deal -Dbench.warmup=0 -Dbench.buyers="${BENCH_DEAL_BUYERS:-1000}" -Dbench.units=20 2>&1 \
  | grep -E --line-buffered "RESULT|\[bench\]|Exception" | tee -a "$OUT/replicas.txt"
drop=$(grep '^RESULT' "$OUT/replicas.txt" | tail -1 | sed 's/^RESULT //')
books_after_drop=$(order_books)

flowing=$(sed -n 's/^FLOWING_AGAIN_MS=//p' "$OUT/replicas.txt")
taken=$(sed -n 's/^SHARDS_TAKEN_OVER_MS=//p' "$OUT/replicas.txt")
bench_dead_letters | tee -a "$OUT/replicas.txt"
echo "RESULT $books_after_drop flowing_again_after_kills_ms=$flowing shards_taken_over_ms=$taken rush: $rush drop: $drop" | tee -a "$OUT/replicas.txt"
