#!/usr/bin/env bash
# Benchmark (not a test): catalogue reads at shop scale. commerce-api over a generated catalogue of 10,000 products
# (40,000 SKUs with availability), wrk with 64 connections on the same 2 cores, in one run:
#   1. GET /q/health/live: this machine's HTTP ceiling (measured first and again after the others: the higher counts);
#   2. GET /api/v1/products/{random id}: cached product detail;
#   3. listing pages (first pages by sort, later pages by keyset cursor), category pages and Korean search pages;
#   4. commerce-api restarted with CATALOG_CACHE_ENABLED=false: the same detail and search load from PostgreSQL.
# Each load runs BENCH_WARMUP seconds (default 10, discarded) then BENCH_SECONDS (default 20) measured. Prints rates,
# p50/p99, the cache's failure count (sansam_catalog_cache_failures_total, 0 in a healthy run) and its hit ratio, and
# ends with one summary line: detail_ratio=… (detail ÷ health) detail_vs_uncached=… listing_p99_ms=… search_p99_ms=…
# Usage: src/bench/catalog-read.sh [products]      (builds what it needs, installs wrk from Debian if missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
PRODUCTS=${1:-10000}
WARMUP=${BENCH_WARMUP:-10}; SECONDS_RUN=${BENCH_SECONDS:-20}; CONNECTIONS=${BENCH_CONNECTIONS:-64}
source src/bench/lib.sh
PORT=${BENCH_COMMERCE_PORT:-18080}
URL="http://127.0.0.1:$PORT"
DB=sansam_bench_catalog
PID=
stop() { [ -z "$PID" ] || kill "$PID" 2>/dev/null || true; wait 2>/dev/null || true; bench_restore_postgres; }
trap stop EXIT

if ! command -v wrk >/dev/null; then
  echo "[bench] installing wrk (Debian package)"
  (apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; }) \
    || { echo "[bench] wrk could not be installed"; exit 1; }
fi
bench_prepare "$DB"
bench_production_postgres
bench_build commerce-api

start_commerce() { # extra env...
  redis-cli -n 3 flushdb >/dev/null
  env RABBITMQ_VHOST=sansam_bench REDIS_URL=redis://127.0.0.1:6379/3 PORT=$PORT DB_URL=postgresql://127.0.0.1:5432/$DB \
    TOSS_SECRET_KEY=test_sk_local_simulator MAILER_MOCK=true EMAIL_LINK_SECRET=bench-email-link-secret-not-for-production \
    DRAW_SEAL_KEY=bench-draw-seal-key-not-for-production SOLAPI_API_KEY=NCSBENCH SOLAPI_API_SECRET=bench "$@" \
    java -Xmx512m -jar commerce-api/target/quarkus-app/quarkus-run.jar > "$OUT/catalog-commerce-api.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 90); do curl -fs "$URL/q/health/ready" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "[bench] commerce-api did not become ready (log in $OUT/catalog-commerce-api.log)"; exit 1
}

start_commerce
echo "[bench] generating $PRODUCTS products"
psql -h 127.0.0.1 -U postgres -d "$DB" -v ON_ERROR_STOP=1 -q -v n="$PRODUCTS" <<'SQL'
with leaves as (select array_agg(id order by id) ids from category c
                where not exists (select 1 from category k where k.parent_id = c.id))
insert into product (name, brand, category_id, price, description, image_urls, rating_sum, rating_count, wishlist_count, popularity)
select (array['토트백','숄더백','크로스백','클러치','미니 백','코트','재킷','스니커즈','로퍼','카드 지갑','벨트','스카프'])[1 + i % 12]
         || ' ' || (array['블랙','아이보리','카멜','네이비','버건디'])[1 + (i / 12) % 5] || ' ' || i,
       (array['Maison Aurel','Casa Lumi','Atelier Noor','Vela','Sansam Studio','Orsini','Haneul','Brio'])[1 + i % 8],
       (select ids[1 + i % array_length(ids, 1)] from leaves),
       100000 + (i * 7919) % 4900000,
       '이탈리아 가죽, 수작업 마감. Handmade leather piece number ' || i,
       '["https://img.example/p' || i || '.jpg"]', (i % 23) * 4, i % 23, i % 17, (i * 31) % 1000
from generate_series(1, :n) i;
insert into product_option (product_id, sku, size, color)
select p.id, 'B-' || p.id || '-' || s.size, s.size, '블랙' from product p, unnest(array['XS','S','M','L']) s(size);
insert into sku_availability (sku, available, version, updated_at)
select sku, (abs(hashtext(sku)) % 5), 1, now() from product_option;
analyze;
SQL
read -r LO HI < <(psql -h 127.0.0.1 -U postgres -d "$DB" -Atc "select min(id), max(id) from product" | tr '|' ' ')

# wrk scripts: a random product, or the paths of a file in turn (each thread starts at another line)
cat > "$OUT/catalog-detail.lua" <<LUA
request = function() return wrk.format("GET", "/api/v1/products/" .. math.random($LO, $HI)) end
LUA
# every product once, in turn (fills the cache before the detail load is measured)
cat > "$OUT/catalog-every.lua" <<LUA
local i = $LO - 1
init = function(args) i = i + tonumber(args[1] or 0) end
request = function() i = i + 1; if i > $HI then i = $LO end; return wrk.format("GET", "/api/v1/products/" .. i) end
LUA
cat > "$OUT/catalog-paths.lua" <<'LUA'
local paths, i = {}, 0
init = function(args) for line in io.lines(args[1]) do paths[#paths + 1] = line end; i = math.random(#paths) end
request = function() i = i % #paths + 1; return wrk.format("GET", paths[i]) end
LUA
urlq() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
: > "$OUT/catalog-listing.paths"; : > "$OUT/catalog-category.paths"; : > "$OUT/catalog-search.paths"
for sort in newest price_asc price_desc popular rating; do
  for size in 20 40; do
    path="/api/v1/products?sort=$sort&size=$size"; echo "$path" >> "$OUT/catalog-listing.paths"
    # the next two pages, as endless scrolling asks for them
    for _ in 1 2; do
      cursor=$(curl -fs "$URL$path" | python3 -c 'import sys, json; print(json.load(sys.stdin).get("nextCursor") or "")')
      [ -n "$cursor" ] || break
      path="/api/v1/products?sort=$sort&size=$size&cursor=$cursor"; echo "$path" >> "$OUT/catalog-listing.paths"
    done
  done
done
for slug in $(psql -h 127.0.0.1 -U postgres -d "$DB" -Atc "select slug from category order by id"); do
  for sort in newest popular price_asc; do echo "/api/v1/products?category=$slug&sort=$sort" >> "$OUT/catalog-category.paths"; done
  echo "/api/v1/products?category=$slug&inStock=true" >> "$OUT/catalog-category.paths"
done
for q in 토트 숄더 크로스 클러치 코트 재킷 스니커즈 로퍼 지갑 스카프 블랙 카멜 가죽 "토트 블랙" "미니 백" 아이보리 aurel vela 수작업; do
  echo "/api/v1/products?q=$(urlq "$q")" >> "$OUT/catalog-search.paths"
  echo "/api/v1/products?q=$(urlq "$q")&sort=price_asc" >> "$OUT/catalog-search.paths"
done

# run_wrk name path-or-script [file]: warm-up, then measured; prints and records "name rps p50_ms p99_ms"
run_wrk() {
  local name=$1 target=$2 file=${3:-} args=(-t2 -c"$CONNECTIONS" --latency)
  local spec=()
  if [ -n "$file" ]; then spec=(-s "$OUT/catalog-paths.lua" "$URL/" -- "$file")
  elif [[ $target == *.lua ]]; then spec=(-s "$target" "$URL/")
  else spec=("$URL$target"); fi
  wrk "${args[@]}" -d"${WARMUP}s" "${spec[@]}" > /dev/null
  wrk "${args[@]}" -d"${SECONDS_RUN}s" "${spec[@]}" > "$OUT/catalog-$name.wrk"
  python3 - "$name" "$OUT/catalog-$name.wrk" <<'PY' | tee -a "$OUT/catalog-read.txt"
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
def ms(v):
    n, u = re.match(r'([0-9.]+)(us|ms|s|m)', v).groups()
    return float(n) * {'us': 0.001, 'ms': 1, 's': 1000, 'm': 60000}[u]
rps = float(re.search(r'Requests/sec:\s+([0-9.]+)', text).group(1))
# the distribution's own lines (a "+/- Stdev" column such as 66.50% must not be taken for the 50th percentile)
p50 = ms(re.search(r'(?m)^\s+50%\s+(\S+)$', text).group(1)); p99 = ms(re.search(r'(?m)^\s+99%\s+(\S+)$', text).group(1))
bad = re.search(r'Non-2xx or 3xx responses: (\d+)', text)
errors = re.search(r'Socket errors: (.*)', text)
print(f"{name} rps={rps:.0f} p50_ms={p50:.1f} p99_ms={p99:.1f} non2xx={bad.group(1) if bad else 0}"
      + (f" socket_errors=[{errors.group(1)}]" if errors else ""))
PY
}
value() { sed -n "s/^$1 .*$2=\([0-9.]*\).*/\1/p" "$OUT/catalog-read.txt" | tail -1; }
metric() { curl -fs "$URL/q/metrics" | awk -v m="$1" -v l="$2" 'index($0, m "{") == 1 && index($0, l) { s += $NF } END { printf "%d", s }'; }

: > "$OUT/catalog-read.txt"
echo "[bench] $PRODUCTS products, $CONNECTIONS connections, ${WARMUP}s warm-up + ${SECONDS_RUN}s per load"
run_wrk health /q/health/live
fill_cache() { # one wrk connection per thread walking over every product (each thread from another end)
  wrk -t1 -c8 -d"$(( (HI - LO) / 300 + 5 ))s" -s "$OUT/catalog-every.lua" "$URL/" -- 0 > /dev/null
}
echo "[bench] filling the cache with every product's detail"
fill_cache
HITS0=$(metric sansam_catalog_cache_requests_total 'result="hit"'); MISSES0=$(metric sansam_catalog_cache_requests_total 'result="miss"')
run_wrk detail "$OUT/catalog-detail.lua"
HITS1=$(metric sansam_catalog_cache_requests_total 'result="hit"'); MISSES1=$(metric sansam_catalog_cache_requests_total 'result="miss"')
echo "[bench] detail load: hits=$((HITS1 - HITS0)) misses=$((MISSES1 - MISSES0))" | tee -a "$OUT/catalog-read.txt"
run_wrk listing x "$OUT/catalog-listing.paths"
run_wrk category x "$OUT/catalog-category.paths"
run_wrk search x "$OUT/catalog-search.paths"
run_wrk health-again /q/health/live # the ceiling once the JIT had as long as the other loads
FAILURES=$(metric sansam_catalog_cache_failures_total operation)
HITS=$(metric sansam_catalog_cache_requests_total 'result="hit"'); MISSES=$(metric sansam_catalog_cache_requests_total 'result="miss"')
echo "[bench] cache failures=$FAILURES hits=$HITS misses=$MISSES" | tee -a "$OUT/catalog-read.txt"
stop; PID=

echo "[bench] the same with the cache switched off (CATALOG_CACHE_ENABLED=false)"
start_commerce CATALOG_CACHE_ENABLED=false
run_wrk detail-uncached "$OUT/catalog-detail.lua"
run_wrk search-uncached x "$OUT/catalog-search.paths"
stop; PID=

awk -v h="$(printf '%s\n%s\n' "$(value health rps)" "$(value health-again rps)" | sort -n | tail -1)" -v d="$(value detail rps)" -v u="$(value detail-uncached rps)" \
    -v lp="$(value listing p99_ms)" -v cp="$(value category p99_ms)" -v sp="$(value search p99_ms)" \
    -v dp="$(value detail p99_ms)" -v su="$(value search-uncached p99_ms)" -v f="$FAILURES" -v hi="$HITS" -v mi="$MISSES" \
  'BEGIN { printf "detail_ratio=%.2f detail_vs_uncached=%.1f health_rps=%d detail_rps=%d detail_p99_ms=%s uncached_detail_rps=%d listing_p99_ms=%s category_p99_ms=%s search_p99_ms=%s uncached_search_p99_ms=%s cache_failures=%d hit_ratio=%.3f\n",
           d / h, d / u, h, d, dp, u, lp, cp, sp, su, f, (hi + mi) ? hi / (hi + mi) : 0 }' | tee -a "$OUT/catalog-read.txt"
