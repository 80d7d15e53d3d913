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
  if [ "${STATEMENT_STATS_ON:-0}" = 1 ]; then
    psql -h 127.0.0.1 -U postgres -qc "alter system reset shared_preload_libraries" \
      -c "alter system reset pg_stat_statements.track_planning" >/dev/null || true
    pg_restart
    STATEMENT_STATS_ON=0
    echo "[bench] pg_stat_statements taken out again (PostgreSQL restarted)"
  fi
}

pg_restart() { pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main restart; }

# BENCH_PGSS=1: PostgreSQL records every statement's cost, planning included, for this run (pg_stat_statements must be
# preloaded: a restart, before the services start; bench_restore_postgres takes it out with another once they stopped).
bench_statement_stats() { # databases...
  [ "${BENCH_PGSS:-0}" = 1 ] || return 0
  psql -h 127.0.0.1 -U postgres -qc "alter system set shared_preload_libraries = 'pg_stat_statements'" >/dev/null
  pg_restart
  STATEMENT_STATS_ON=1
  # the module's own setting is known only once it is loaded
  psql -h 127.0.0.1 -U postgres -qc "alter system set pg_stat_statements.track_planning = on" -c "select pg_reload_conf()" >/dev/null
  local db
  for db in "$@"; do psql -h 127.0.0.1 -U postgres -d "$db" -qc "create extension if not exists pg_stat_statements" >/dev/null; done
  echo "[bench] pg_stat_statements on for this run (PostgreSQL restarted)"
}

# With BENCH_PGSS=1: once "$2" appears in $1, the statement counters start from zero (the measured phase only; the
# view lives in the databases that created the extension, and counts the statements of all of them).
bench_statement_stats_from() { # file marker
  [ "${BENCH_PGSS:-0}" = 1 ] || return 0
  for _ in $(seq 1 900); do grep -qF -- "$2" "$1" 2>/dev/null && break; sleep 1; done
  psql -h 127.0.0.1 -U postgres -d sansam_bench_commerce -Atqc "select pg_stat_statements_reset()" >/dev/null
}

# With BENCH_PGSS=1: the 15 statements that took PostgreSQL the most time (planning and execution), per unit of work
# ($1 units).
bench_statement_report() { # units
  [ "${BENCH_PGSS:-0}" = 1 ] || return 0
  echo "[bench] statements by time (ms per unit of work: planning + execution, planning; calls and plans per unit; database; statement):"
  psql -h 127.0.0.1 -U postgres -d sansam_bench_commerce -Atc "select round(((s.total_exec_time + s.total_plan_time) / $1)::numeric, 3),
      round((s.total_plan_time / $1)::numeric, 3), round(s.calls::numeric / $1, 2), round(s.plans::numeric / $1, 2), d.datname,
      left(regexp_replace(s.query, '\s+', ' ', 'g'), 140)
    from pg_stat_statements s join pg_database d on d.oid = s.dbid
    order by s.total_exec_time + s.total_plan_time desc limit 15" | sed 's/^/  /'
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
