#!/usr/bin/env bash
# Benchmark (not a test): a time deal's drop. 2,000 logged-in buyers fire as the deal opens at one deal of 50 units,
# limit 1 per buyer. Prints the outcomes (winners, distinct winners, sold out, anything else), how long until every
# buyer knew theirs (a winner knows when the order is STOCK_RESERVED), and the deal stream's last count (0 expected).
# Before the drop, BENCH_WARMUP seconds (default 30; 0 = a cold JVM) of ordinary orders on other SKUs.
# The line ends with http_floor_ms: the same 2,000 requests at once to /q/health/live, the floor of this machine and
# client. BENCH_JFR=1: a JFR profile of both services and the queues once the buyers fire (see order-throughput.sh).
# Usage: src/bench/deal-drop.sh [buyers] [units]   (builds what it needs first)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUYERS=${1:-2000}; UNITS=${2:-50}
source src/bench/lib.sh
source src/bench/order-lib.sh
start_order_bench
: > "$OUT/deal-drop.txt"; rm -f "$OUT/order-profile.txt"
profile_when_measuring "$OUT/deal-drop.txt" "at once for deal" 1 &
order_bench -Dbench.mode=deal -Dbench.warmup="${BENCH_WARMUP:-30}" -Dbench.buyers="$BUYERS" -Dbench.units="$UNITS" 2>&1 \
  | grep --line-buffered -E "RESULT|\[bench\]|Exception" | tee "$OUT/deal-drop.txt"
# The server's view: first deal order placed to last one reserved.
SKU=$(sed -n 's/.*deal sku=\([^)]*\)).*/\1/p' "$OUT/deal-drop.txt")
SERVER_MS=$(psql -h 127.0.0.1 -U postgres -Atc "select coalesce(round(extract(epoch from max(o.updated_at) - min(o.created_at)) * 1000), 0)
  from orders o join order_line l on l.order_pk = o.id where l.sku = '$SKU' and o.deal_id is not null" sansam_bench_commerce)
echo "$(grep RESULT "$OUT/deal-drop.txt" | sed 's/^RESULT //') server_placed_to_last_reserved_ms=$SERVER_MS"
