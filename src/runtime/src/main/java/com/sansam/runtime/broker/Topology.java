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
     */
    public record Route(String exchange, String queue, boolean inOrder) {
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

    public static final List<Route> ROUTES = List.of(
            // a deal's commands apply in the order commerce-api decided them, whichever stock-worker is up
            new Route(Messages.STOCK_COMMANDS_EXCHANGE, "stock-worker.commands", true),
            // an order's stock events apply in the order the stock-worker decided them
            new Route(Messages.STOCK_EVENTS_EXCHANGE, "commerce-api.stock-events", true),
            new Route(Messages.USER_EVENTS_EXCHANGE, "chat-gateway.user-events", false),
            new Route(Messages.CHAT_EVENTS_EXCHANGE, "commerce-api.chat-events", false));

    private Topology() {}

    public static boolean knows(String exchange) {
        return ROUTES.stream().anyMatch(route -> route.exchange().equals(exchange));
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
            channel.queueDeclare(route.queue(), true, false, false, route.arguments());
            channel.queueBind(route.queue(), exchange, "#");
            channel.queueDeclare(route.deadLetterQueue(), true, false, false, route.deadLetterArguments());
            channel.queueBind(route.deadLetterQueue(), DEAD_LETTER_EXCHANGE, route.queue());
        }
    }
}
