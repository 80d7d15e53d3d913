#!/usr/bin/env bash
# A three-node RabbitMQ cluster on this machine, beside the machine's own broker (which it leaves alone), from
# Debian's rabbitmq-server as installed: nodes sansam1..3@localhost, AMQP on 5701..5703 (Erlang distribution on
# 25701..25703), data under $CLUSTER_DIR (default target/rabbitmq-cluster). The services reach it with
# RABBITMQ_ADDRESSES=127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703.
#   rabbitmq-cluster.sh start          starts the three nodes and joins them (again: nothing to do)
#   rabbitmq-cluster.sh stop           stops them and removes their data
#   rabbitmq-cluster.sh kill <n>       kills node n at once (kill -9: a lost machine, not a shutdown)
#   rabbitmq-cluster.sh revive <n>     starts node n again; it rejoins the cluster
#   rabbitmq-cluster.sh leader <vhost> <queue>   the node (1..3) that leads a quorum queue
#   rabbitmq-cluster.sh ctl <args…>    rabbitmqctl against the cluster (a live node)
#   rabbitmq-cluster.sh addresses      the RABBITMQ_ADDRESSES value
set -euo pipefail
cd "$(dirname "$0")/../.."
CLUSTER_DIR=${CLUSTER_DIR:-$PWD/target/rabbitmq-cluster}
NODES=(1 2 3)
say() { echo "[rabbitmq-cluster] $*" >&2; }
node() { echo "sansam$1@localhost"; }
port() { echo $((5700 + $1)); }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
live_node() {
  for n in "${NODES[@]}"; do port_open "$(port "$n")" && { node "$n"; return 0; }; done
  say "no node is up"; return 1
}

start_node() {
  local n=$1 dir="$CLUSTER_DIR/node$1"
  if port_open "$(port "$n")"; then return 0; fi
  mkdir -p "$dir/log" "$dir/mnesia"
  echo "[]." > "$dir/enabled_plugins"
  printf 'loopback_users = none\n' > "$dir/rabbitmq.conf"
  # Every node of a cluster shares the Erlang cookie: the one rabbitmqctl uses for the machine's broker (Debian's
  # wrapper runs rabbitmqctl as the rabbitmq user, whose home holds it). The server is started without that wrapper,
  # which would switch users and drop this environment.
  local server=/usr/lib/rabbitmq/bin/rabbitmq-server home=/var/lib/rabbitmq
  [ -x "$server" ] || server=rabbitmq-server
  [ -d "$home" ] || home=$HOME
  env HOME="$home" RABBITMQ_NODENAME="$(node "$n")" RABBITMQ_NODE_PORT="$(port "$n")" RABBITMQ_DIST_PORT=$((25700 + n)) \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/pid" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_CONFIG_FILE="$dir/rabbitmq" \
    "$server" -detached > "$dir/log/start.log" 2>&1
  for _ in $(seq 1 120); do
    port_open "$(port "$n")" && rabbitmqctl -q -n "$(node "$n")" await_startup >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  say "node $n did not start (see $dir/log)"; return 1
}

case "${1:-}" in
  start)
    command -v rabbitmq-server >/dev/null || { say "rabbitmq-server is not installed (Debian: rabbitmq-server)"; exit 1; }
    mkdir -p "$CLUSTER_DIR"
    for n in "${NODES[@]}"; do start_node "$n"; done
    for n in 2 3; do
      if ! rabbitmqctl -q -n "$(node 1)" cluster_status 2>/dev/null | grep -q "$(node "$n")"; then
        rabbitmqctl -q -n "$(node "$n")" stop_app
        rabbitmqctl -q -n "$(node "$n")" join_cluster "$(node 1)"
        rabbitmqctl -q -n "$(node "$n")" start_app
      fi
    done
    running=$(rabbitmqctl -q -n "$(node 1)" eval 'length(rabbit_nodes:all_running()).' 2>/dev/null || echo "?")
    say "3 nodes up, $running running in one cluster: RABBITMQ_ADDRESSES=$("$0" addresses)"
    ;;
  stop)
    for n in "${NODES[@]}"; do
      rabbitmqctl -q -n "$(node "$n")" stop >/dev/null 2>&1 || true
    done
    rm -rf "$CLUSTER_DIR"
    say "stopped"
    ;;
  kill)
    pid=$(cat "$CLUSTER_DIR/node$2/pid" 2>/dev/null || true)
    [ -n "$pid" ] || { say "node $2 has no pid"; exit 1; }
    kill -9 "$pid"
    for _ in $(seq 1 30); do port_open "$(port "$2")" || break; sleep 0.2; done
    say "node $2 killed"
    ;;
  revive)
    start_node "$2"
    say "node $2 up again"
    ;;
  leader)
    leader=$(rabbitmqctl -q -n "$(live_node)" list_queues -p "$2" name leader 2>/dev/null | awk -v q="$3" '$1 == q { print $2 }')
    [ -n "$leader" ] || { say "no leader known for $3 in $2"; exit 1; }
    echo "$leader" | sed -n 's/^sansam\([0-9]\)@.*/\1/p'
    ;;
  ctl)
    shift; rabbitmqctl -n "$(live_node)" "$@"
    ;;
  addresses)
    echo "127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703"
    ;;
  *) sed -n '2,13p' "$0" >&2; exit 2 ;;
esac
