#!/usr/bin/env bash
# Benchmark (not a test): start-up time and resident memory of each service in JVM mode, run as in a 512 MiB
# container (-XX:MaxRAM=512m -XX:MaxRAMPercentage=60). Start-up = process start until /q/health/ready answers
# 200 (PostgreSQL, Redis, RabbitMQ connected, migrations applied). RSS is read once ready and again after
# 2,000 requests. Native executables are measured too when they exist (target/*-runner).
# Usage: src/bench/startup-memory.sh   (builds what it needs first)
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
bench_prepare
bench_build stock-worker,commerce-api,chat-gateway
command -v hey >/dev/null || true

rss_mib() { awk '{printf "%.0f", $1/1024}' <<<"$(ps -o rss= -p "$1")"; }

measure() { # name, port, path for load, command...
  local name=$1 port=$2 path=$3; shift 3
  local db="sansam_bench_${name//-/_}"
  psql -h 127.0.0.1 -U postgres -qc "drop database if exists $db" -c "create database $db" 2>/dev/null
  local start; start=$(date +%s%N)
  PORT=$port DB_URL=postgresql://127.0.0.1:5432/$db RABBITMQ_VHOST=sansam_bench REDIS_URL=redis://127.0.0.1:6379/2 \
    CHAT_FANOUT_CHANNEL=sansam:chat:fanout:bench TOSS_SECRET_KEY=test_sk_local_simulator \
    EMAIL_LINK_SECRET=bench-email-link-secret-not-for-production DRAW_SEAL_KEY=bench-draw-seal-key-not-for-production SOLAPI_API_KEY=NCSBENCH SOLAPI_API_SECRET=bench "$@" > "$OUT/startup-$name.log" 2>&1 &
  local pid=$!
  until curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { echo "$name exited, see $OUT/startup-$name.log"; return 1; }
    sleep 0.05
  done
  local ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  local quarkus_s; quarkus_s=$(sed -n 's/.*started in \([0-9.]*\)s.*/\1/p' "$OUT/startup-$name.log" | head -1)
  sleep 2
  local rss_ready; rss_ready=$(rss_mib $pid)
  for _ in $(seq 1 20); do
    seq 1 100 | xargs -P 8 -I{} curl -fs -o /dev/null "http://127.0.0.1:$port$path" || true
  done
  local rss_load; rss_load=$(rss_mib $pid)
  kill $pid; wait $pid 2>/dev/null || true
  printf "RESULT %-14s %-6s ready_ms=%-6s quarkus_started_s=%-6s rss_ready_mib=%-5s rss_after_2000_requests_mib=%s\n" \
    "$name" "$MODE" "$ready_ms" "$quarkus_s" "$rss_ready" "$rss_load" | tee -a "$OUT/startup-memory.txt"
}

: > "$OUT/startup-memory.txt"
JVM=(java -XX:MaxRAM=512m -XX:MaxRAMPercentage=60 -jar)
MODE=jvm
measure stock-worker 18182 /q/health/live "${JVM[@]}" stock-worker/target/quarkus-app/quarkus-run.jar
measure commerce-api 18180 /api/v1/categories "${JVM[@]}" commerce-api/target/quarkus-app/quarkus-run.jar
measure chat-gateway 18181 /q/health/live "${JVM[@]}" chat-gateway/target/quarkus-app/quarkus-run.jar
MODE=native
for svc in stock-worker commerce-api chat-gateway; do
  runner=$(ls $svc/target/*-runner 2>/dev/null | head -1 || true)
  if [ -n "$runner" ]; then
    case $svc in stock-worker) p=18182; path=/q/health/live;; commerce-api) p=18180; path=/api/v1/categories;; *) p=18181; path=/q/health/live;; esac
    measure "$svc" $p $path "$runner"
  else
    echo "[bench] no native executable for $svc (no GraalVM/Mandrel here; see docs/operations.md 'Native images')"
  fi
done
