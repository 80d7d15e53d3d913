#!/usr/bin/env bash
# Benchmark (not a test): losing the broker node that leads the stock command queue, under load. Starts a three-node
# RabbitMQ cluster on this machine (src/scripts/rabbitmq-cluster.sh; the machine's own broker is left alone) and the
# services against all three nodes (RABBITMQ_ADDRESSES). 60 buyers order over 20 SKUs for [seconds] s (default 60);
# [kill_after] s in (default 15) the node leading stock-worker.commands is killed (kill -9), and [down] s later
# (default 20) started again; then 1,000 buyers rush one SKU of 10 units. Prints how long orders stopped being
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

# The fault: find the leader of the stock command queue, kill it, time how long no order gets reserved, revive it.
inject() {
  sleep "$KILL_AFTER"
  local leader; leader=$($CLUSTER leader sansam_bench stock-worker.commands)
  local before; before=$(commerce "select count(*) from orders where status = 'STOCK_RESERVED'")
  echo "[bench] killing broker node $leader (leads stock-worker.commands; $before orders reserved so far)"
  local killed; killed=$(date +%s%N)
  $CLUSTER kill "$leader"
  local flowing=""
  for _ in $(seq 1 600); do
    if [ "$(commerce "select count(*) from orders where status = 'STOCK_RESERVED'")" -gt "$before" ] \
       && [ "$(commerce "select count(*) from orders where status = 'STOCK_RESERVED' and updated_at > to_timestamp($killed / 1e9)")" -gt 0 ]; then
      flowing=$(( ($(date +%s%N) - killed) / 1000000 )); break
    fi
    sleep 0.1
  done
  echo "[bench] orders reserved again ${flowing:-never (60 s)} ms after the kill; new leader $($CLUSTER leader sansam_bench stock-worker.commands)"
  echo "FLOWING_AGAIN_MS=${flowing:-none}" >> "$OUT/broker-failover.txt"
  sleep "$DOWN"
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
bench_dead_letters | tee -a "$OUT/broker-failover.txt"
echo "RESULT pending=$pending orders_stock_reserved=$reserved reservations_held=$held books_agree=$([ "$reserved" = "$held" ] && echo yes || echo no) ledger_skus_off=$ledger_off oversold_skus=$oversold non_quorum_queues=$classic flowing_again_ms=$flowing rush: $rush" \
  | tee -a "$OUT/broker-failover.txt"
