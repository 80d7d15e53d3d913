#!/usr/bin/env bash
# Runs the whole platform locally: prepares PostgreSQL, Redis and RabbitMQ, builds the three services and
# starts them (commerce-api :8080, chat-gateway :8081, stock-worker :8082; override with *_PORT), with an
# admin account, the demo catalogue on an empty database, and the Toss Payments simulator (:8090, WireMock
# with the mappings in src/toss-simulator), the SMS simulator (:8091, src/sms-simulator) and an S3 server for product and review images (:9787, S3Proxy with its
# filesystem backend under target/run/s3). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
LOGS="$ROOT/target/run"
mkdir -p "$LOGS"

bash src/scripts/prepare-services.sh

if [ "${SKIP_BUILD:-false}" != true ]; then
  echo "[run] building (./mvnw package -DskipTests)"
  ./mvnw -B -q package -DskipTests -Dsansam.prepare.skip=true
fi

TOSS_PORT=${TOSS_SIMULATOR_PORT:-8090}
SMS_PORT=${SMS_SIMULATOR_PORT:-8091}
WIREMOCK_JAR="$LOGS/wiremock-standalone.jar"
if [ ! -f "$WIREMOCK_JAR" ]; then
  ./mvnw -B -q dependency:copy -Dartifact=org.wiremock:wiremock-standalone:3.13.1 -DoutputDirectory="$LOGS" \
    -Dmdep.stripVersion=true -Dsansam.prepare.skip=true
fi
S3_PORT=${S3PROXY_PORT:-9787}
S3PROXY_JAR="$LOGS/s3proxy-jar-with-dependencies.jar"
if [ ! -f "$S3PROXY_JAR" ]; then
  ./mvnw -B -q dependency:copy -Dartifact=org.gaul:s3proxy:2.6.0:jar:jar-with-dependencies -DoutputDirectory="$LOGS" \
    -Dmdep.stripVersion=true -Dsansam.prepare.skip=true
fi
export S3_ENDPOINT=${S3_ENDPOINT:-http://127.0.0.1:$S3_PORT}
export S3_ACCESS_KEY=${S3_ACCESS_KEY:-local-identity}
export S3_SECRET_KEY=${S3_SECRET_KEY:-local-credential}
export S3_CREATE_BUCKET=${S3_CREATE_BUCKET:-true}
mkdir -p "$LOGS/s3"
cat > "$LOGS/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
s3proxy.cors-allow-all=true
jclouds.provider=filesystem
jclouds.filesystem.basedir=$LOGS/s3
PROPS
export TOSS_BASE_URL=${TOSS_BASE_URL:-http://127.0.0.1:$TOSS_PORT}
export TOSS_SECRET_KEY=${TOSS_SECRET_KEY:-test_sk_local_simulator} # the simulator's key
export SMS_BASE_URL=${SMS_BASE_URL:-http://127.0.0.1:$SMS_PORT}
export DRAW_SEAL_KEY=${DRAW_SEAL_KEY:-local-draw-seal-key-not-for-production}
export SOLAPI_API_KEY=${SOLAPI_API_KEY:-NCSLOCALSIMULATOR} SOLAPI_API_SECRET=${SOLAPI_API_SECRET:-local-simulator-secret}
# signs the email verification links (they are written to target/run/commerce-api.log while MAILER_MOCK=true)
export EMAIL_LINK_SECRET=${EMAIL_LINK_SECRET:-local-run-email-link-secret-not-for-production}
export ADMIN_EMAIL=${ADMIN_EMAIL:-admin@sansam.local}
export ADMIN_PASSWORD=${ADMIN_PASSWORD:-sansam-admin-1}
export SESSION_COOKIE_SECURE=${SESSION_COOKIE_SECURE:-false}
export DEMO_CATALOGUE=${DEMO_CATALOGUE:-true}
# No mail server locally: emails are written to commerce-api's log instead (set SMTP_HOST/SMTP_PORT and
# MAILER_MOCK=false to send them for real).
export MAILER_MOCK=${MAILER_MOCK:-true}
# The storefront (served by commerce-api) reaches chat-gateway on the page's own host at the gateway's port; the
# gateway admits exactly the storefront's origins (CORS for its REST API, the Origin check of /ws/chat).
export CHAT_PUBLIC_URL=${CHAT_PUBLIC_URL:-:${CHAT_GATEWAY_PORT:-8081}}
# the storefront's Content-Security-Policy lets its page reach chat-gateway on that port
export CHAT_CONNECT_SOURCES=${CHAT_CONNECT_SOURCES:-"http://*:${CHAT_GATEWAY_PORT:-8081} ws://*:${CHAT_GATEWAY_PORT:-8081}"}
export CHAT_ALLOWED_ORIGINS=${CHAT_ALLOWED_ORIGINS:-http://localhost:${COMMERCE_API_PORT:-8080},http://127.0.0.1:${COMMERCE_API_PORT:-8080}}

pids=()
stop() {
  echo "[run] stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

start() { # name port
  local name=$1 port=$2
  PORT=$port java ${JAVA_OPTS:-} -jar "$ROOT/$name/target/quarkus-app/quarkus-run.jar" >"$LOGS/$name.log" 2>&1 &
  pids+=($!)
  echo "[run] $name starting on :$port (log: target/run/$name.log)"
}
java -jar "$WIREMOCK_JAR" --port "$TOSS_PORT" --root-dir "$ROOT/src/toss-simulator" --global-response-templating \
  --disable-banner >"$LOGS/toss-simulator.log" 2>&1 &
pids+=($!)
echo "[run] Toss simulator on :$TOSS_PORT (log: target/run/toss-simulator.log)"
java -jar "$WIREMOCK_JAR" --port "$SMS_PORT" --root-dir "$ROOT/src/sms-simulator" --global-response-templating \
  --disable-banner >"$LOGS/sms-simulator.log" 2>&1 &
pids+=($!)
echo "[run] SMS simulator on :$SMS_PORT (codes sent: curl -s localhost:$SMS_PORT/__admin/requests)"
java -jar "$S3PROXY_JAR" --properties "$LOGS/s3proxy.properties" >"$LOGS/s3proxy.log" 2>&1 &
pids+=($!)
echo "[run] S3 server (S3Proxy) on :$S3_PORT, files in target/run/s3 (log: target/run/s3proxy.log)"
for _ in $(seq 1 60); do (echo > /dev/tcp/127.0.0.1/$S3_PORT) 2>/dev/null && break; sleep 0.5; done
start stock-worker "${STOCK_WORKER_PORT:-8082}"
start commerce-api "${COMMERCE_API_PORT:-8080}"
start chat-gateway "${CHAT_GATEWAY_PORT:-8081}"

for port in "${STOCK_WORKER_PORT:-8082}" "${COMMERCE_API_PORT:-8080}" "${CHAT_GATEWAY_PORT:-8081}"; do
  for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null || { echo "[run] service on :$port is not ready; see target/run/*.log"; exit 1; }
done
# messages held while classic queues were replaced by quorum queues (prepare-services.sh) go back to their queues
"$(dirname "$0")/quorum-queues.sh" restore "${RABBITMQ_VHOST:-/}"
cat <<MSG
[run] SanSam is up:
  commerce-api  http://127.0.0.1:${COMMERCE_API_PORT:-8080}  (OpenAPI: /q/openapi)
  chat-gateway  http://127.0.0.1:${CHAT_GATEWAY_PORT:-8081}
  stock-worker  http://127.0.0.1:${STOCK_WORKER_PORT:-8082}
  toss (sim.)   $TOSS_BASE_URL
  sms (sim.)    $SMS_BASE_URL  (codes sent: $SMS_BASE_URL/__admin/requests)
  images (S3)   $S3_ENDPOINT  bucket ${S3_BUCKET:-sansam-images}
  admin login   $ADMIN_EMAIL / $ADMIN_PASSWORD
  emails        $( [ "$MAILER_MOCK" = true ] && echo "logged in target/run/commerce-api.log (MAILER_MOCK=true)" || echo "sent to ${SMTP_HOST:-127.0.0.1}:${SMTP_PORT:-2525}" )
Ctrl-C stops all three.
MSG
wait
