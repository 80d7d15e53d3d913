#!/usr/bin/env bash
# Makes sure PostgreSQL, Redis and RabbitMQ answer on loopback, starting (or, as root on Debian,
# installing) them where it can, then creates the databases and the RabbitMQ virtual host the platform
# uses. Says what it did; exits non-zero with what the user must do when it cannot.
set -euo pipefail

PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}
REDIS_PORT=${REDIS_PORT:-6379}; RABBITMQ_PORT=${RABBITMQ_PORT:-5672}
DATABASES="sansam_commerce sansam_stock sansam_chat sansam_commerce_test sansam_stock_test sansam_chat_test sansam_platform_test sansam_e2e_commerce sansam_e2e_stock sansam_e2e_chat"

say() { echo "[prepare] $*"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 "${2:-60}"); do port_open "$1" && return 0; sleep 1; done; return 1; }
is_root() { [ "$(id -u)" = 0 ]; }
apt_install() {
  if is_root && command -v apt-get >/dev/null; then
    say "installing $* from Debian packages"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    say "cannot install $* (need root on Debian): install it yourself"; return 1
  fi
}

# --- PostgreSQL -------------------------------------------------------------------------------
if port_open "$PGPORT"; then
  say "PostgreSQL is up on $PGHOST:$PGPORT"
else
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then say "no PostgreSQL cluster found; create one (pg_createcluster)"; exit 1; fi
  say "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  wait_port "$PGPORT" 60 || { say "PostgreSQL did not come up on $PGPORT"; exit 1; }
fi
if command -v psql >/dev/null; then
  # The platform connects as $PGUSER over TCP; the machine here trusts loopback. Elsewhere set DB_USER/DB_PASSWORD.
  for db in $DATABASES; do
    if ! psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
      psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -qc "create database $db" && say "created database $db"
    fi
  done
  for db in sansam_commerce sansam_commerce_test sansam_e2e_commerce; do
    psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$db" -qc "create extension if not exists pg_trgm" >/dev/null
  done
else
  say "psql not found: create the databases $DATABASES yourself"
fi

# --- Redis ------------------------------------------------------------------------------------
if port_open "$REDIS_PORT"; then
  say "Redis is up on 127.0.0.1:$REDIS_PORT"
else
  command -v redis-server >/dev/null || apt_install redis-server
  say "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$( [ -w /var/lib/redis ] && echo /var/lib/redis || echo /tmp)" \
    --logfile "$( [ -w /var/log/redis ] && echo /var/log/redis/ci.log || echo /tmp/redis.log)"
  wait_port "$REDIS_PORT" 30 || { say "Redis did not come up on $REDIS_PORT"; exit 1; }
fi

# --- RabbitMQ ---------------------------------------------------------------------------------
if port_open "$RABBITMQ_PORT"; then
  say "RabbitMQ is up on 127.0.0.1:$RABBITMQ_PORT"
else
  command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
  say "starting RabbitMQ"
  rabbitmq-server -detached || true
  wait_port "$RABBITMQ_PORT" 90 || { say "RabbitMQ did not come up on $RABBITMQ_PORT"; exit 1; }
fi
if command -v rabbitmqctl >/dev/null && rabbitmqctl -q await_startup >/dev/null 2>&1; then
  # The test suites use their own virtual hosts, so a locally running platform never steals their messages.
  for vhost in sansam_test sansam_e2e sansam_platform_test; do
    if ! rabbitmqctl -q list_vhosts 2>/dev/null | grep -qx "$vhost"; then
      rabbitmqctl -q add_vhost "$vhost" && say "created RabbitMQ virtual host $vhost"
    fi
    rabbitmqctl -q set_permissions -p "$vhost" "${RABBITMQ_USER:-guest}" ".*" ".*" ".*" >/dev/null
    "$(dirname "$0")/quorum-queues.sh" replace "$vhost" drop # test data: nothing to keep
  done
  "$(dirname "$0")/quorum-queues.sh" replace / # a local run's messages are kept (run-local.sh restores them)
else
  say "rabbitmqctl unavailable: create the virtual hosts sansam_test, sansam_e2e and sansam_platform_test for the tests yourself"
fi
# --- Chromium (the storefront's browser tests) ---------------------------------------------------
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  say "Chromium and ChromeDriver are installed"
else
  apt_install chromium chromium-driver || say "the storefront's browser tests need chromium and chromedriver"
fi
# Korean glyphs, so the tests' screenshots show the storefront's text instead of empty boxes.
if dpkg -s fonts-nanum >/dev/null 2>&1; then
  say "Korean fonts are installed"
else
  apt_install fonts-nanum || say "fonts-nanum missing: screenshots will show boxes instead of Korean text"
fi
say "services ready"
