#!/usr/bin/env bash
# The platform's queues are quorum queues, the stock queues with a single active consumer, the stock commands in
# shards (stock-worker.commands.0 …); a queue cannot change type or arguments in place, so a broker that still holds
# the queues of an earlier version is moved over here (locally; deploy/README.md gives the production plan).
# The earlier unsharded stock-worker.commands is removed when empty (with "drop": always); one still holding messages
# is left alone and reported: its messages cannot be sent to their shards in their order from here (start the earlier
# stock-worker to drain it first).
#   quorum-queues.sh replace <vhost> [drop]  before the services start: each outdated sansam queue of <vhost> is
#       removed so that the services declare it again as a quorum queue. One that holds messages is first emptied by
#       a shovel into a holding queue "<queue>.held" (nothing is lost); with "drop" (the tests' hosts) it is removed
#       with its messages.
#   quorum-queues.sh restore <vhost>          after the services declared their queues: each holding queue is moved
#       back by a shovel through the exchange that feeds its queue, and removed once empty.
set -euo pipefail
ACTION=$1; VHOST=$2; MODE=${3:-keep}
say() { echo "[quorum-queues] $*"; }
# queue -> the exchange and routing key that reach it again
route_of() {
  case "$1" in
    stock-worker.commands.[0-9]*) echo "sansam.stock.commands" ;;
    commerce-api.stock-events) echo "sansam.stock.events" ;;
    chat-gateway.user-events) echo "sansam.user.events" ;;
    commerce-api.chat-events) echo "sansam.chat.events" ;;
    *.dlq) echo "sansam.dlx ${1%.dlq}" ;;
    *) return 1 ;;
  esac
}
queues() { rabbitmqctl -q list_queues -p "$VHOST" name type messages 2>/dev/null </dev/null | tail -n +2; }
# whether a queue is as the services declare it now (runtime's Topology)
current() { # name type
  [ "$2" = quorum ] || return 1
  case "$1" in
    stock-worker.commands.[0-9]*|commerce-api.stock-events)
      rabbitmqctl -q list_queues -p "$VHOST" name arguments 2>/dev/null </dev/null \
        | awk -v q="$1" '$1 == q' | grep -q x-single-active-consumer ;;
  esac
}
shovel() { # name, definition
  rabbitmq-plugins -q enable rabbitmq_shovel >/dev/null </dev/null
  rabbitmqctl -q set_parameter -p "$VHOST" shovel "$1" "$2" >/dev/null </dev/null
}
wait_empty() { # queue
  for _ in $(seq 1 120); do
    local n
    n=$(queues | awk -v q="$1" '$1 == q { print $3 }')
    [ -z "$n" ] || [ "$n" = 0 ] && return 0
    sleep 1
  done
  say "$1 in $VHOST did not empty within 2 minutes"; return 1
}
uri="amqp:///$( [ "$VHOST" = / ] && echo "" || echo "$VHOST")"

case "$ACTION" in
  replace)
    # (rabbitmqctl reads standard input: the list is read whole first)
    queues > "${TMPDIR:-/tmp}/quorum-queues.$$"
    while read -r name type messages; do
      if [ "$name" = stock-worker.commands ]; then # the commands before they were sharded
        if [ "$messages" != 0 ] && [ "$MODE" != drop ]; then
          say "$VHOST: stock-worker.commands (unsharded, from an earlier version) still holds $messages messages: left in place; drain it with the earlier stock-worker, then run this again"
          continue
        fi
        rabbitmqctl -q delete_queue -p "$VHOST" "$name" >/dev/null </dev/null
        say "$VHOST: removed the unsharded queue stock-worker.commands (the commands go to its shards now)"
        continue
      fi
      route_of "$name" >/dev/null || continue
      current "$name" "$type" && continue
      if [ "$messages" != 0 ] && [ "$MODE" != drop ]; then
        say "$VHOST: moving $messages messages of the $type queue $name to $name.held"
        shovel "hold-$name" "{\"src-uri\":\"$uri\",\"src-queue\":\"$name\",\"dest-uri\":\"$uri\",\"dest-queue\":\"$name.held\",\"src-delete-after\":\"queue-length\"}"
        wait_empty "$name"
      fi
      rabbitmqctl -q delete_queue -p "$VHOST" "$name" >/dev/null </dev/null
      say "$VHOST: removed the $type queue $name (its consumer declares it again as the services need it)"
    done < "${TMPDIR:-/tmp}/quorum-queues.$$"
    rm -f "${TMPDIR:-/tmp}/quorum-queues.$$"
    ;;
  restore)
    queues > "${TMPDIR:-/tmp}/quorum-queues.$$"
    while read -r name type messages; do
      [[ "$name" == *.held ]] || continue
      queue=${name%.held}
      read -r exchange key <<< "$(route_of "$queue")"
      key_field=$([ -n "${key:-}" ] && echo ",\"dest-exchange-key\":\"$key\"" || echo "")
      say "$VHOST: moving $messages held messages back to $queue (through $exchange)"
      shovel "restore-$queue" "{\"src-uri\":\"$uri\",\"src-queue\":\"$name\",\"dest-uri\":\"$uri\",\"dest-exchange\":\"$exchange\"$key_field,\"src-delete-after\":\"queue-length\"}"
      wait_empty "$name"
      rabbitmqctl -q delete_queue -p "$VHOST" "$name" >/dev/null </dev/null
    done < "${TMPDIR:-/tmp}/quorum-queues.$$"
    rm -f "${TMPDIR:-/tmp}/quorum-queues.$$"
    ;;
  *) echo "usage: $0 replace|restore <vhost> [drop]" >&2; exit 2 ;;
esac
