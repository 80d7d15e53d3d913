#!/usr/bin/env bash
# Benchmark (not a test): a limited drop. 1,000 logged-in buyers fire at the same moment at one SKU with 10 units.
# Prints the outcomes (reserved, sold out, anything else) and how long until every buyer knew theirs. Before the drop,
# BENCH_WARMUP seconds (default 30; 0 = a cold JVM) of ordinary orders on other SKUs: a shop's services are warm when
# a drop starts, and on two cores a cold JIT alone costs seconds.
# Usage: src/bench/order-rush.sh [buyers] [units]   (builds what it needs first)
# Buyers retry a 503 after its Retry-After, as the storefront does; every answer's status code is counted and
# printed (the goal is no 5xx at all). Buyers are prepared with BCRYPT_COST=4 (see order-lib.sh). After the drop
# it prints commerce-api's resident memory (heap as the deployment sets it).
# BENCH_JFR=1: a JFR profile of both services and the queues every 2 s once the buyers fire (see order-throughput.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUYERS=${1:-1000}; UNITS=${2:-10}
source src/bench/lib.sh
source src/bench/order-lib.sh
start_order_bench
: > "$OUT/order-rush.txt"; rm -f "$OUT/order-profile.txt"
profile_when_measuring "$OUT/order-rush.txt" "at once" 2 &
order_bench -Dbench.mode=rush -Dbench.warmup="${BENCH_WARMUP:-30}" -Dbench.buyers="$BUYERS" -Dbench.units="$UNITS" 2>&1 \
  | grep --line-buffered -E "RESULT|\[bench\]|Exception" | tee "$OUT/order-rush.txt"
# The server's view of the same drop: first order placed to last order decided (orders of the rush SKU).
SKU=$(sed -n 's/.*rush sku=\([^)]*\)).*/\1/p' "$OUT/order-rush.txt")
SERVER_MS=$(psql -h 127.0.0.1 -U postgres -Atc "select coalesce(round(extract(epoch from max(o.updated_at) - min(o.created_at)) * 1000), 0)
  from orders o join order_line l on l.order_pk = o.id where l.sku = '$SKU'" sansam_bench_commerce)
RSS_MIB=$(( $(awk '/VmRSS/ {print $2}' "/proc/${PIDS[1]}/status") / 1024 ))
echo "$(grep RESULT "$OUT/order-rush.txt" | sed 's/^RESULT //') server_placed_to_last_decided_ms=$SERVER_MS commerce_api_rss_mib=$RSS_MIB"
# BENCH_NMT=1: where commerce-api's memory is (Java heap, threads, code, GC, direct buffers).
if [ -n "${BENCH_NMT:-}" ]; then
  jcmd "${PIDS[1]}" VM.native_memory summary | grep -E "committed|^-" | head -40 > "$OUT/order-rush-memory.txt" || true
  jcmd "${PIDS[1]}" GC.heap_info >> "$OUT/order-rush-memory.txt" 2>&1 || true
  echo "[bench] commerce-api memory: $OUT/order-rush-memory.txt"
fi
bench_dead_letters
