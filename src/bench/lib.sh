# Shared by the src/bench/ scripts (source it): prepares the services and the bench's own databases and vhost, and
# builds and installs what a benchmark runs, so every script works on a fresh clone.
OUT=src/bench/results; mkdir -p "$OUT"
# rabbitmqctl against the broker the bench uses (src/bench/broker-failover.sh points it at the three-node cluster)
RABBITMQCTL=${RABBITMQCTL:-rabbitmqctl}

bench_prepare() { # databases to recreate...
  bash src/scripts/prepare-services.sh >/dev/null
  local db
  for db in "$@"; do
    # WITH (FORCE): a process left over from an interrupted run must not keep the old database alive
    psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qc "drop database if exists $db with (force)" -c "create database $db" >/dev/null
  done
  # a fresh virtual host each run: nothing a bench left behind (or an earlier version's queues) is kept
  $RABBITMQCTL -q delete_vhost sansam_bench 2>/dev/null || true
  $RABBITMQCTL -q add_vhost sansam_bench
  $RABBITMQCTL -q set_permissions -p sansam_bench guest ".*" ".*" ".*"
}

# Builds the modules with everything they depend on (the parent pom, messages, runtime and its test-jar) and installs them,
# so the packaged jar exists and the benchmark clients (run with exec:java from a module's test classes) resolve.
bench_build() { # modules (comma-separated)
  echo "[bench] building $1"
  ./mvnw -B -q install -DskipTests -Dsansam.prepare.skip -pl "$1" -am
}

# PostgreSQL as production runs it. This machine's configuration (conf.d/90-ci.conf) switches autovacuum off, so a
# bench's tables would never be vacuumed nor analysed: the outbox's index fills with rows sent long ago, and plans made
# when the tables were empty are never revisited. Every bench that uses PostgreSQL switches it on for its run (ALTER
# SYSTEM, applied by a reload) and puts the machine's setting back when it ends (bench_restore_postgres). BENCH_AUTOVACUUM=machine
# keeps the machine's setting (to compare with figures measured before 2026-11-26 08:00).
bench_production_postgres() {
  if [ "${BENCH_AUTOVACUUM:-on}" = machine ]; then
    echo "[bench] PostgreSQL as configured on this machine (autovacuum $(psql -h 127.0.0.1 -U postgres -Atc 'show autovacuum'))"
    return 0
  fi
  if [ "$(psql -h 127.0.0.1 -U postgres -Atc 'show autovacuum')" != on ]; then
    psql -h 127.0.0.1 -U postgres -qc "alter system set autovacuum = on" -c "select pg_reload_conf()" >/dev/null
    AUTOVACUUM_SWITCHED_ON=1
    echo "[bench] autovacuum switched on for this run (off in this machine's configuration)"
  fi
}
bench_restore_postgres() {
  if [ "${AUTOVACUUM_SWITCHED_ON:-0}" = 1 ]; then
    psql -h 127.0.0.1 -U postgres -qc "alter system reset autovacuum" -c "select pg_reload_conf()" >/dev/null || true
    AUTOVACUUM_SWITCHED_ON=0
  fi
}

# Shards of the stock commands the stock-worker on port $1 consumes now (runtime's ShardedQueues).
shards_held() {
  curl -fs "http://127.0.0.1:$1/q/metrics" | awk '/^sansam_shards_held\{/ { s += $2 } END { printf "%d", s }'
}

# ms from $1 (date +%s%N) until the stock-worker on port $2 consumes $3 shards (polled every 100 ms, 60 s at most).
ms_until_shards() {
  for _ in $(seq 1 600); do
    if [ "$(shards_held "$2" 2>/dev/null || echo 0)" -ge "$3" ]; then echo $(( ($(date +%s%N) - $1) / 1000000 )); return; fi
    sleep 0.1
  done
  echo timeout
}

# Busy CPU time of the whole machine so far, in clock ticks (/proc/stat: user, nice, system, irq, softirq).
machine_busy_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
