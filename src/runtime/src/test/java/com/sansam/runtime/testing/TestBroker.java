package com.sansam.runtime.testing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * A real RabbitMQ client for tests: publishes messages as the other service would (with publisher confirms)
 * and taps an exchange to see what a service published. Talks to the test virtual host.
 */
public final class TestBroker implements AutoCloseable {

    private final Connection connection;
    private final Channel channel;

    public TestBroker() {
        this(System.getenv().getOrDefault("RABBITMQ_TEST_VHOST", "sansam_test"));
    }

    /** On another virtual host (e.g. {@code sansam_e2e} for tests that run their own packaged services). */
    public TestBroker(String virtualHost) {
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(System.getenv().getOrDefault("RABBITMQ_HOST", "127.0.0.1"));
            factory.setPort(Integer.parseInt(System.getenv().getOrDefault("RABBITMQ_PORT", "5672")));
            factory.setUsername(System.getenv().getOrDefault("RABBITMQ_USER", "guest"));
            factory.setPassword(System.getenv().getOrDefault("RABBITMQ_PASSWORD", "guest"));
            factory.setVirtualHost(virtualHost);
            factory.setAutomaticRecoveryEnabled(true);
            connection = factory.newConnection("tests");
            channel = connection.createChannel();
            channel.confirmSelect();
        } catch (Exception e) {
            throw new IllegalStateException("RabbitMQ is not reachable: run src/scripts/prepare-services.sh", e);
        }
    }

    /** Publishes a payload in a new envelope; answers the envelope (its messageId allows duplicates). */
    public Envelope publish(String exchange, String aggregateType, String aggregateId, Object payload) {
        Envelope envelope = Messages.wrap(aggregateType, aggregateId, payload);
        publish(exchange, envelope);
        return envelope;
    }

    public synchronized void publish(String exchange, Envelope envelope) {
        publishRaw(exchange, routingKey(exchange, envelope), Messages.toJson(envelope));
    }

    public synchronized void publishRaw(String exchange, String routingKey, String body) {
        try {
            send(exchange, routingKey, body);
            channel.waitForConfirmsOrDie(10_000);
        } catch (Exception e) {
            throw new IllegalStateException("Publishing to " + exchange + " failed", e);
        }
    }

    /** Publishes many envelopes back to back and waits once for all their confirms (for load generation). */
    public synchronized void publishAll(String exchange, List<Envelope> envelopes) {
        try {
            for (Envelope envelope : envelopes) {
                send(exchange, routingKey(exchange, envelope), Messages.toJson(envelope));
            }
            channel.waitForConfirmsOrDie(60_000);
        } catch (Exception e) {
            throw new IllegalStateException("Publishing to " + exchange + " failed", e);
        }
    }

    /** The routing key the services' outbox relay gives the envelope (its shard first on a sharded exchange). */
    public static String routingKey(String exchange, Envelope envelope) {
        return com.sansam.runtime.broker.Topology.routingKey(
                exchange, envelope.type(), envelope.aggregateType(), envelope.aggregateId());
    }

    private final java.util.Set<String> declared = new java.util.HashSet<>();

    private void send(String exchange, String routingKey, String body) throws java.io.IOException {
        if (declared.add(exchange)) {
            channel.exchangeDeclare(exchange, "topic", true);
        }
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .build();
        channel.basicPublish(exchange, routingKey, properties, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Starts collecting every message published to the exchange from now on. */
    public Tap tap(String exchange) {
        try {
            Channel tapChannel = connection.createChannel();
            tapChannel.exchangeDeclare(exchange, "topic", true);
            String queue = tapChannel.queueDeclare().getQueue();
            tapChannel.queueBind(queue, exchange, "#");
            Tap tap = new Tap(tapChannel);
            DeliverCallback callback = (tag, delivery) -> {
                String body = new String(delivery.getBody(), StandardCharsets.UTF_8);
                tap.deliveries.incrementAndGet();
                if (com.sansam.messages.Bundles.isBundle(body)) { // the relay sends rows to one queue as one message
                    com.sansam.messages.Bundles.entries(body)
                            .forEach(entry -> tap.received.add(Messages.envelope(entry.envelope())));
                } else {
                    tap.received.add(Messages.envelope(body));
                }
            };
            tapChannel.basicConsume(queue, true, callback, tag -> {});
            return tap;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot tap " + exchange, e);
        }
    }

    public int messageCount(String queue) {
        try {
            return (int) channel.messageCount(queue);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes a queue (as on a first deploy, or a replaced broker, where it does not exist yet). */
    public void deleteQueue(String queue) {
        try {
            channel.queueDelete(queue);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Declares the route's exchange with its queues ({@code Topology}) and empties the queues. */
    public synchronized void declareEmpty(com.sansam.runtime.broker.Topology.Route route) {
        try {
            com.sansam.runtime.broker.Topology.declare(channel, route.exchange());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        route.queues().forEach(this::purge);
    }

    public void purge(String queue) {
        try {
            channel.queuePurge(queue);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    /** Messages seen on an exchange. */
    public static final class Tap implements AutoCloseable {
        private final Channel channel;
        final ConcurrentLinkedQueue<Envelope> received = new ConcurrentLinkedQueue<>();
        final java.util.concurrent.atomic.AtomicInteger deliveries = new java.util.concurrent.atomic.AtomicInteger();

        Tap(Channel channel) {
            this.channel = channel;
        }

        /** How many broker messages brought {@link #all()} (a bundle brings several). */
        public int deliveries() {
            return deliveries.get();
        }

        public List<Envelope> all() {
            return List.copyOf(received);
        }

        public List<Envelope> ofType(String type) {
            return received.stream().filter(e -> e.type().equals(type)).toList();
        }

        public List<Envelope> ofType(String type, Predicate<Envelope> filter) {
            return received.stream()
                    .filter(e -> e.type().equals(type))
                    .filter(filter)
                    .toList();
        }

        public List<Envelope> forAggregate(String aggregateId) {
            return received.stream()
                    .filter(e -> aggregateId.equals(e.aggregateId()))
                    .toList();
        }

        /** Waits until at least {@code count} messages of the type match, and answers them. */
        public List<Envelope> await(String type, Predicate<Envelope> filter, int count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                List<Envelope> found = ofType(type, filter);
                if (found.size() >= count) {
                    return found;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            throw new AssertionError("Expected " + count + " " + type + " within " + timeout + ", saw "
                    + ofType(type, filter).size() + "; all seen: "
                    + received.stream().map(Envelope::type).toList());
        }

        public Envelope awaitOne(String type, Predicate<Envelope> filter) {
            return await(type, filter, 1, Duration.ofSeconds(20)).get(0);
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }
}
