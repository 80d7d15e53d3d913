#!/usr/bin/env bash
# Benchmark (not a test): 1,000 WebSocket connections (one user each) in 50 rooms on one chat-gateway; senders
# post at fixed total rates and every member's connection measures send -> delivery. Prints delivered messages
# per second and p50/p99 delivery latency per rate. Client and gateway share the machine (2 cores here).
# Usage: src/bench/chat-throughput.sh [connections] [rooms] [rates]   (builds what it needs first)
# BENCH_JFR=1 records a Java Flight Recorder profile of the gateway for the whole run (src/bench/results/chat-gateway.jfr);
# BENCH_GATEWAY_HEAP sets its -Xmx (512m), BENCH_GATEWAY_JAVA_OPTS adds JVM options. Each step prints the CPU each process used (100 % = one core).
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNECTIONS=${1:-1000}
ROOMS=${2:-50}
RATES=${3:-25,50,100,200}
PORT=${BENCH_PORT:-18081}
source src/bench/lib.sh
bench_prepare sansam_bench_chat
bench_production_postgres
bench_build chat-gateway

PORT=$PORT DB_URL=postgresql://127.0.0.1:5432/sansam_bench_chat RABBITMQ_VHOST=sansam_bench REDIS_URL=redis://127.0.0.1:6379/2 \
  CHAT_FANOUT_CHANNEL=sansam:chat:fanout:bench \
  java -Xmx${BENCH_GATEWAY_HEAP:-512m} ${BENCH_GATEWAY_JAVA_OPTS:-} ${BENCH_JFR:+-XX:StartFlightRecording=settings=profile,filename=$OUT/chat-gateway.jfr} \
  -jar chat-gateway/target/quarkus-app/quarkus-run.jar > "$OUT/chat-gateway.log" 2>&1 &
GATEWAY=$!
trap 'kill $GATEWAY 2>/dev/null || true; bench_restore_postgres' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 1; done

echo "[bench] $CONNECTIONS connections in $ROOMS rooms, rates $RATES msg/s (after a ${BENCH_WARMUP:-10} s warm-up at the first rate)"
CPU_BEFORE=$(awk '{print $14 + $15}' /proc/$GATEWAY/stat)
RABBITMQ_TEST_VHOST=sansam_bench REDIS_TEST_URL=redis://127.0.0.1:6379/2 ./mvnw -B -q -pl chat-gateway -Dsansam.prepare.skip \
  org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
  -Dexec.mainClass=com.sansam.chat.bench.ChatBench -Dbench.url="http://127.0.0.1:$PORT" -Dbench.gateway.pid=$GATEWAY \
  -Dbench.connections="$CONNECTIONS" -Dbench.rooms="$ROOMS" -Dbench.rates="$RATES" -Dbench.warmup="${BENCH_WARMUP:-10}" 2>&1 \
  | grep -E "RESULT|SUMMARY|\[bench\]|Exception" | tee "$OUT/chat.txt"
CPU_S=$(awk -v before="$CPU_BEFORE" -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15 - before) / hz}' /proc/$GATEWAY/stat)
RSS=$(ps -o rss= -p $GATEWAY | awk '{printf "%.0f", $1/1024}')
if [ -n "${BENCH_NMT:-}" ]; then # run with BENCH_GATEWAY_JAVA_OPTS=-XX:NativeMemoryTracking=summary
  jcmd $GATEWAY VM.native_memory summary > "$OUT/gateway-nmt.txt" 2>&1 || true
  grep -E "^(Total|-  *[A-Z][a-zA-Z ]+ \(reserved)" "$OUT/gateway-nmt.txt" | sed 's/^/[bench] nmt /' | head -20
fi
echo "[bench] gateway: ${CPU_S} s of CPU during the client run (set-up included), resident memory ${RSS} MiB after the run"
echo "$(grep SUMMARY "$OUT/chat.txt" | sed 's/^SUMMARY //') gateway_cpu_s=$CPU_S gateway_rss_mib=$RSS"
