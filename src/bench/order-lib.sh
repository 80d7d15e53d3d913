# Shared by src/bench/order-throughput.sh and src/bench/order-rush.sh (source after src/bench/lib.sh): starts the packaged
# stock-worker and commerce-api on the bench databases, Redis database 2 and the vhost sansam_bench.
ADMIN_EMAIL=bench-admin@sansam.bench
ADMIN_PASSWORD=bench-admin-password-1
COMMERCE_PORT=${BENCH_COMMERCE_PORT:-18080}
STOCK_PORT=${BENCH_STOCK_PORT:-18082}
PIDS=()
# Processes started in a subshell (src/bench/order-faults.sh restarts the stock-worker) record their pid here too.
EXTRA_PIDS=src/bench/results/bench-extra.pids
stop_services() {
  for pid in "${PIDS[@]}" $(cat "$EXTRA_PIDS" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  rm -f "$EXTRA_PIDS"
  wait 2>/dev/null || true
  bench_restore_postgres # after the services stopped: it may restart PostgreSQL
}
trap stop_services EXIT

# A fresh commerce-api and stock-worker on the bench databases, as built from this checkout.
start_order_bench() {
  bench_prepare sansam_bench_commerce sansam_bench_stock "$@"
  bench_production_postgres
  bench_statement_stats sansam_bench_commerce sansam_bench_stock
  bench_build stock-worker,commerce-api
  start_order_services
}

start_order_services() {
  redis-cli -n 2 flushdb >/dev/null
  $RABBITMQCTL -q delete_vhost sansam_bench 2>/dev/null || true
  $RABBITMQCTL -q add_vhost sansam_bench && $RABBITMQCTL -q set_permissions -p sansam_bench guest ".*" ".*" ".*"
  start_stock_worker "$STOCK_PORT" order-stock-worker
  start_commerce_api "$COMMERCE_PORT" order-commerce-api
  await_ready $STOCK_PORT $COMMERCE_PORT
}

# One stock-worker on the bench database, port $1, logging to $OUT/$2.log; its pid is the last of PIDS.
start_stock_worker() {
  env RABBITMQ_VHOST=sansam_bench REDIS_URL=redis://127.0.0.1:6379/2 PORT=$1 \
    DB_URL=postgresql://127.0.0.1:5432/sansam_bench_stock \
    java -Xmx512m -jar stock-worker/target/quarkus-app/quarkus-run.jar > "$OUT/$2.log" 2>&1 &
  PIDS+=($!)
}

# One commerce-api on the bench database, port $1, logging to $OUT/$2.log; its pid is the last of PIDS.
start_commerce_api() {
  # BCRYPT_COST=4: the bench signs up and logs in thousands of buyers first; at production's cost 10 that alone
  # takes minutes of CPU. Never in production: deploy/'s manifest check refuses a cost below 10.
  # The heap and malloc arenas as the deployment sets them (768 MiB container, MaxRAMPercentage=50: Dockerfile.jvm;
  # MALLOC_ARENA_MAX=2: deployment.yaml). COMMERCE_API_JVM overrides the heap options (e.g. "-XX:MaxRAMPercentage=40
  # -XX:+UseSerialGC", measured beside it in docs/benchmarks.md "Benchmarks").
  env RABBITMQ_VHOST=sansam_bench REDIS_URL=redis://127.0.0.1:6379/2 PORT=$1 \
    DB_URL=postgresql://127.0.0.1:5432/sansam_bench_commerce \
    ADMIN_EMAIL=$ADMIN_EMAIL ADMIN_PASSWORD=$ADMIN_PASSWORD TOSS_SECRET_KEY=test_sk_local_simulator MAILER_MOCK=true \
    BCRYPT_COST=4 NOTICE_CHANNEL=sansam:notifications:bench MALLOC_ARENA_MAX=2 SIGNUP_MAX_PER_ADDRESS=1000000 \
    EMAIL_LINK_SECRET=bench-email-link-secret-not-for-production DRAW_SEAL_KEY=bench-draw-seal-key-not-for-production SOLAPI_API_KEY=NCSBENCH SOLAPI_API_SECRET=bench \
    java -XX:MaxRAM=768m ${COMMERCE_API_JVM:--XX:MaxRAMPercentage=50} ${BENCH_NMT:+-XX:NativeMemoryTracking=summary} \
    -jar commerce-api/target/quarkus-app/quarkus-run.jar \
    > "$OUT/$2.log" 2>&1 &
  PIDS+=($!)
}

await_ready() { # ports...
  local port
  for port in "$@"; do
    for _ in $(seq 1 90); do curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break; sleep 1; done
    curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null || { echo "[bench] a service did not become ready (logs in $OUT)"; exit 1; }
  done
}

# Runs the load client (commerce-api's test classes) with the given -D options; BENCH_URLS (comma-separated) spreads
# its requests over several commerce-api replicas.
order_bench() {
  ./mvnw -B -q -pl commerce-api -Dsansam.prepare.skip org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
    -Dexec.classpathScope=test -Dexec.mainClass=com.sansam.commerce.bench.${BENCH_MAIN:-OrderBench} \
    -Dbench.url="${BENCH_URLS:-http://127.0.0.1:$COMMERCE_PORT}" -Dbench.admin.email=$ADMIN_EMAIL -Dbench.admin.password=$ADMIN_PASSWORD "$@"
}

# Prints pgbench's tps; writes the machine's busy CPU per pgbench transaction (ms, /proc/stat over the run: PostgreSQL
# and pgbench, as the orders' figure counts every process) to $OUT/pgbench-cpu.txt.
pgbench_tps() { # TPC-B-like, scale 10, 16 clients, 20 s, on the same server
  pgbench -h 127.0.0.1 -U postgres -i -s 10 -q sansam_bench_pg >/dev/null 2>&1
  local before output ticks
  before=$(machine_busy_ticks)
  output=$(pgbench -h 127.0.0.1 -U postgres -c 16 -j 2 -T 20 sansam_bench_pg 2>/dev/null)
  ticks=$(( $(machine_busy_ticks) - before ))
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" '/^number of transactions actually processed/ { printf "%.3f\n", t * 1000 / hz / $NF }' \
    <<< "$output" > "$OUT/pgbench-cpu.txt"
  sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<< "$output" | head -1
}

# With BENCH_JFR=1: once the bench prints "$2" (default "[bench] measuring") into $1, records 20 s of JFR of both
# services and samples pg_stat_activity and the queues every $3 seconds (default 5), four times.
profile_when_measuring() {
  [ "${BENCH_JFR:-0}" = 1 ] || return 0
  local marker=${2:-measuring} every=${3:-5}
  for _ in $(seq 1 600); do grep -qF -- "$marker" "$1" 2>/dev/null && break; sleep 1; done
  local names=(stock-worker commerce-api) i=0
  for pid in "${PIDS[@]}"; do
    jcmd "$pid" JFR.start duration=20s settings=profile filename="$PWD/$OUT/order-${names[$i]}.jfr" >/dev/null 2>&1 || true
    i=$((i + 1))
  done
  for _ in 1 2 3 4; do
    sleep "$every"
    { date +%T
      psql -h 127.0.0.1 -U postgres -Atc "select datname, state, wait_event, count(*) from pg_stat_activity
        where datname like 'sansam_bench%' group by 1, 2, 3 order by 1, 2"
      $RABBITMQCTL -q list_queues -p sansam_bench name messages messages_unacknowledged | grep -v dlq
      top -bn1 | sed -n '8,13p'; } >> "$OUT/order-profile.txt" 2>&1
  done
  for port in $STOCK_PORT $COMMERCE_PORT; do
    curl -fs "http://127.0.0.1:$port/q/metrics" | grep -E '^sansam_(inbox_batch|messages_batch|outbox_lag)' \
      | sed "s/^/$port /" >> "$OUT/order-profile.txt" || true
  done
}

# Once the bench prints "measuring" into $1, and again at its RESULT line, reads the CPU time each process group used
# (/proc/<pid>/stat: user + system) and prints it per reserved order: where the two cores go.
# Groups: the two services (PIDS), RabbitMQ (beam.smp), PostgreSQL (every postgres process), Redis; "machine" is all
# CPU time of the machine from /proc/stat (idle excluded). The load client reports its own (client_cpu_ms).
cpu_ticks() { # group pids... -> one "group:pid ticks" line per live process
  local group=$1 pid t; shift
  for pid in "$@"; do
    t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null) && echo "$group:$pid $t"
  done
}
cpu_groups() {
  cpu_ticks commerce-api "${PIDS[1]}"
  cpu_ticks stock-worker "${PIDS[0]}"
  cpu_ticks rabbitmq $(pgrep -x beam.smp || true)
  cpu_ticks postgresql $(pgrep -x postgres || true)
  cpu_ticks redis $(pgrep -x redis-server || true)
  echo "machine:0 $(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat)"
}
# Redis commands per reserved order over the measured phase (INFO commandstats, reset when it starts; a script's own
# calls count too, beside its EVAL): what a change of the round trips does, counted rather than timed.
redis_calls_per_order_when_measuring() { # bench output file
  for _ in $(seq 1 900); do grep -qF measuring "$1" 2>/dev/null && break; sleep 1; done
  redis-cli config resetstat >/dev/null
  for _ in $(seq 1 900); do grep -qF RESULT "$1" 2>/dev/null && break; sleep 1; done
  local stats orders; stats=$(redis-cli info commandstats)
  orders=$(sed -n 's/.*orders_reserved_per_s=\([0-9.]*\).*/\1/p' "$1")
  orders=$(awk -v r="$orders" -v s="$SECONDS_RUN" 'BEGIN { printf "%.0f", r * s }')
  tr -d '\r' <<< "$stats" | awk -F'[:,=]' -v n="$orders" '/^cmdstat_/ { sub("cmdstat_", "", $1); t += $3; if ($3 / n >= 0.01) s = s sprintf(" %s=%.2f", $1, $3 / n) }
    END { printf "[bench] Redis commands per reserved order (measured phase): total=%.2f%s\n", t / n, s }'
}

cpu_per_order_when_measuring() { # bench output file
  for _ in $(seq 1 900); do grep -qF measuring "$1" 2>/dev/null && break; sleep 1; done
  local before; before=$(cpu_groups)
  for _ in $(seq 1 900); do grep -qF RESULT "$1" 2>/dev/null && break; sleep 1; done
  local after; after=$(cpu_groups)
  local orders; orders=$(sed -n 's/.*orders_reserved_per_s=\([0-9.]*\).*/\1/p' "$1")
  orders=$(awk -v r="$orders" -v s="$SECONDS_RUN" 'BEGIN { printf "%.0f", r * s }')
  # processes present at both readings only (a backend or client process that came or went is left out)
  # the load client counts its own CPU (client_cpu_ms in RESULT): it exits before a second reading from here
  local client; client=$(sed -n 's/.*client_cpu_ms=\([0-9]*\).*/\1/p' "$1")
  join <(echo "$before" | sort) <(echo "$after" | sort) | awk -v n="$orders" -v hz="$(getconf CLK_TCK)" -v s="$SECONDS_RUN" -v client="$client" '
    { split($1, key, ":"); ms[key[1]] += ($3 - $2) * 1000 / hz }
    END { if (client != "") ms["load-client"] = client
          for (g in ms) { line = line sprintf(" %s=%.2f", g, n ? ms[g] / n : 0) }
          printf "[bench] CPU ms per reserved order (measured phase):%s; machine busy %.2f of 2 cores\n", line, ms["machine"] / 1000 / s }'
}

# Dead letters after a bench: each is a bug until proven otherwise.
bench_dead_letters() {
  for db in sansam_bench_commerce sansam_bench_stock; do
    echo "dead letters in $db: $(psql -h 127.0.0.1 -U postgres -Atc "select count(*) from dead_letter where replayed_at is null" "$db")"
  done
}

# Batches of stock commands the stock-worker on port $1 has processed (grows only on the one that consumes).
commands_processed() {
  curl -fs "http://127.0.0.1:$1/q/metrics" | awk '/^sansam_inbox_batch_seconds_count\{channel="stock-commands"/ { s += $2 } END { printf "%d", s }'
}

# The busiest of the stock-workers on these ports (each consumes its share of the command shards): the one whose
# count of processed batches grew most in one second.
consuming_worker() { # ports...
  local port best="" most=-1 before=() i=0
  for port in "$@"; do before+=("$(commands_processed "$port")"); done
  sleep 1
  for port in "$@"; do
    local grew=$(( $(commands_processed "$port") - ${before[$i]} ))
    [ "$grew" -gt "$most" ] && { most=$grew; best=$port; }
    i=$((i + 1))
  done
  echo "$best"
}

# The pid listening on port $1.
pid_on() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }

# The ends of an order run, once every order is decided (60 s at most): orders still PENDING, both services' books
# (orders STOCK_RESERVED = reservations HELD), the stock ledger (per SKU the movements sum to what is available and
# reserved, and reserved = the held reservations' units), SKUs oversold. Prints one line of key=value.
order_books() {
  local pending=0
  for _ in $(seq 1 60); do
    pending=$(commerce "select count(*) from orders where status = 'PENDING'")
    [ "$pending" = 0 ] && break
    sleep 1
  done
  sleep 2 # the last events settle
  local reserved held ledger_off oversold
  reserved=$(commerce "select count(*) from orders where status = 'STOCK_RESERVED'")
  held=$(stock "select count(*) from reservation where status = 'HELD'")
  ledger_off=$(stock "select count(*) from stock_item i where i.available <> (select coalesce(sum(available_delta), 0) from stock_movement m where m.sku = i.sku)
    or i.reserved <> (select coalesce(sum(reserved_delta), 0) from stock_movement m where m.sku = i.sku)
    or i.reserved <> (select coalesce(sum(l.qty - l.restored_qty), 0) from reservation_line l join reservation r on r.order_id = l.order_id
                      where l.sku = i.sku and r.status = 'HELD')")
  oversold=$(stock "select count(*) from stock_item where available < 0")
  echo "pending=$pending orders_stock_reserved=$reserved reservations_held=$held books_agree=$([ "$reserved" = "$held" ] && echo yes || echo no) ledger_skus_off=$ledger_off oversold_skus=$oversold"
}

commerce() { psql -h 127.0.0.1 -U postgres -d sansam_bench_commerce -tAc "$1"; }
stock() { psql -h 127.0.0.1 -U postgres -d sansam_bench_stock -tAc "$1"; }
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
