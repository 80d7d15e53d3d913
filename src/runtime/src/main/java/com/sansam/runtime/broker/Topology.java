package com.sansam.runtime.broker;

import com.rabbitmq.client.Channel;
import com.sansam.messages.Messages;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The platform's RabbitMQ topology in one place: each exchange (topic, durable), the quorum queue of the service that
 * consumes it (bound with {@code #}, dead-lettering to {@code sansam.dlx}, and after {@link #DELIVERY_LIMIT} deliveries
 * of one message: a message that keeps coming back, for example because it stops its consumer, is a dead letter, not
 * a loop) and that queue's DLQ, a quorum queue too. A quorum queue is replicated over the broker's nodes (three in
 * production): it survives the loss of one.
 * Publishers declare the topology of an exchange before they publish into it, so a message never meets a
 * missing queue (a first deploy where the publisher starts first, a replaced broker); consumers declare the same
 * queues with the same arguments through their channel configuration. {@code deploy/} loads the same definitions
 * into the broker.
 */
public final class Topology {

    public static final String DEAD_LETTER_EXCHANGE = "sansam.dlx";

    /** Deliveries of one message before a quorum queue dead-letters it (each consumer's {@code x-delivery-limit}). */
    public static final int DELIVERY_LIMIT = 20;

    /**
     * An exchange and the queue its consumer reads; {@code inOrder}: one consumer at a time (RabbitMQ's single active
     * consumer), for messages whose order matters across replicas (the others stand by and take over when it goes).
     * {@code shards} &gt; 1: the queue is split into that many queues ({@code <queue>.0} …), each message going to the
     * shard of its aggregate ({@link #routingKey}), so that the shards of one queue can be consumed by different
     * replicas at once, each shard still in order. The shards share one dead-letter queue.
     */
    public record Route(String exchange, String queue, boolean inOrder, int shards) {

        public Route(String exchange, String queue, boolean inOrder) {
            this(exchange, queue, inOrder, 1);
        }

        public boolean sharded() {
            return shards > 1;
        }

        /** The queues the consumers read: the queue itself, or each shard's. */
        public List<String> queues() {
            return sharded()
                    ? java.util.stream.IntStream.range(0, shards)
                            .mapToObj(this::shardQueue)
                            .toList()
                    : List.of(queue);
        }

        public String shardQueue(int shard) {
            return queue + "." + shard;
        }

        /** The binding of a consumer's queue: every routing key, or the shard's prefix. */
        public String bindingOf(String consumerQueue) {
            return sharded() ? consumerQueue.substring(queue.length() + 1) + ".*" : "#";
        }

        public String deadLetterQueue() {
            return queue + ".dlq";
        }

        /** The consumer's queue's arguments (the consumers' channel configuration gives the same). */
        public Map<String, Object> arguments() {
            Map<String, Object> arguments = new java.util.HashMap<>(Map.of(
                    "x-queue-type",
                    "quorum",
                    "x-delivery-limit",
                    DELIVERY_LIMIT,
                    "x-dead-letter-exchange",
                    DEAD_LETTER_EXCHANGE,
                    "x-dead-letter-routing-key",
                    queue));
            if (inOrder) {
                arguments.put("x-single-active-consumer", true);
            }
            return Map.copyOf(arguments);
        }

        /** The dead-letter queue's arguments. */
        public Map<String, Object> deadLetterArguments() {
            return Map.of("x-queue-type", "quorum");
        }
    }

    /**
     * Stock commands are split into this many shards by aggregate (an order, a deal, a SKU). Changing it moves
     * aggregates between shards: only with the command queues drained (docs/operations.md).
     */
    public static final int STOCK_COMMAND_SHARDS = 8;

    public static final List<Route> ROUTES = List.of(
            // a deal's (or an order's) commands apply in the order commerce-api decided them, each shard by one
            // stock-worker at a time, different shards by different stock-workers at once
            new Route(Messages.STOCK_COMMANDS_EXCHANGE, "stock-worker.commands", true, STOCK_COMMAND_SHARDS),
            // an order's stock events apply in the order the stock-worker decided them
            new Route(Messages.STOCK_EVENTS_EXCHANGE, "commerce-api.stock-events", true),
            new Route(Messages.USER_EVENTS_EXCHANGE, "chat-gateway.user-events", false),
            new Route(Messages.CHAT_EVENTS_EXCHANGE, "commerce-api.chat-events", false));

    private Topology() {}

    private static java.util.Optional<Route> find(String exchange) {
        return ROUTES.stream()
                .filter(route -> route.exchange().equals(exchange))
                .findFirst();
    }

    public static boolean knows(String exchange) {
        return find(exchange).isPresent();
    }

    public static Route route(String exchange) {
        return find(exchange)
                .orElseThrow(() -> new IllegalArgumentException("No topology is defined for exchange " + exchange));
    }

    /**
     * The routing key of a message of {@code type} about an aggregate: the type itself, and on a sharded exchange
     * the aggregate's shard before it ({@code 3.ReserveStock}). The shard is a documented function of the aggregate
     * (Java's {@code String.hashCode} of {@code type:id}, modulo the shards), so it never changes between releases.
     */
    public static String routingKey(String exchange, String type, String aggregateType, String aggregateId) {
        return find(exchange)
                .filter(Route::sharded)
                .map(route -> shardOf(aggregateType, aggregateId, route.shards()) + "." + type)
                .orElse(type);
    }

    /**
     * The queue a message published with {@code routingKey} reaches: the exchange's queue, or on a sharded exchange
     * the shard named before the first dot. Messages that reach the same queue may travel as one bundle.
     */
    public static String queueOf(String exchange, String routingKey) {
        Route route = route(exchange);
        return route.sharded()
                ? route.shardQueue(Integer.parseInt(routingKey.substring(0, routingKey.indexOf('.'))))
                : route.queue();
    }

    public static int shardOf(String aggregateType, String aggregateId, int shards) {
        return Math.floorMod((aggregateType + ":" + aggregateId).hashCode(), shards);
    }

    /** Declares the exchange with every queue, binding and dead-letter queue behind it (idempotent). */
    public static void declare(Channel channel, String exchange) throws IOException {
        channel.exchangeDeclare(exchange, "topic", true);
        channel.exchangeDeclare(DEAD_LETTER_EXCHANGE, "direct", true);
        for (Route route : ROUTES) {
            if (!route.exchange().equals(exchange)) {
                continue;
            }
            // The same arguments as the consumer's channel configuration (auto-bind-dlq): a mismatch would be refused.
            for (String queue : route.queues()) {
                channel.queueDeclare(queue, true, false, false, route.arguments());
                channel.queueBind(queue, exchange, route.bindingOf(queue));
            }
            channel.queueDeclare(route.deadLetterQueue(), true, false, false, route.deadLetterArguments());
            channel.queueBind(route.deadLetterQueue(), DEAD_LETTER_EXCHANGE, route.queue());
        }
    }
}
