package com.sansam.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.sansam.messages.Messages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Topology} on the local RabbitMQ, in a virtual host of its own (made by the preparation script). */
class TopologyTest {

    private static final Topology.Route COMMANDS = Topology.ROUTES.stream()
            .filter(route -> route.exchange().equals(Messages.STOCK_COMMANDS_EXCHANGE))
            .findFirst()
            .orElseThrow();

    /** A queue without a single active consumer (those refuse basic.get). */
    private static final Topology.Route UNORDERED = Topology.ROUTES.stream()
            .filter(route -> !route.inOrder())
            .findFirst()
            .orElseThrow();

    private Connection connection;
    private Channel channel;

    @BeforeEach
    void connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(System.getenv().getOrDefault("RABBITMQ_HOST", "127.0.0.1"));
        factory.setPort(Integer.parseInt(System.getenv().getOrDefault("RABBITMQ_PORT", "5672")));
        factory.setVirtualHost("sansam_platform_test");
        connection = factory.newConnection("topology test");
        channel = connection.createChannel();
        for (Topology.Route route : Topology.ROUTES) {
            for (String queue : route.queues()) {
                channel.queueDelete(queue);
            }
            channel.queueDelete(route.queue()); // unsharded, as an earlier version declared it
            channel.queueDelete(route.deadLetterQueue());
        }
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
    }

    @Test
    void everyQueueIsAQuorumQueueAndDeclaringAgainChangesNothing() throws Exception {
        for (Topology.Route route : Topology.ROUTES) {
            Topology.declare(channel, route.exchange());
            Topology.declare(channel, route.exchange()); // every publisher declares it before it publishes
        }
        for (Topology.Route route : Topology.ROUTES) {
            Map<String, Map<String, Object>> declared = new java.util.HashMap<>();
            route.queues().forEach(queue -> declared.put(queue, route.arguments()));
            declared.put(route.deadLetterQueue(), route.deadLetterArguments());
            declared.forEach((queue, arguments) -> {
                Map<String, Object> classic = new java.util.HashMap<>(arguments);
                assertEquals("quorum", classic.remove("x-queue-type"), queue);
                Channel probe = uncheck(connection::createChannel);
                // the same queue declared without the type is refused: it is a quorum queue on the broker
                IOException refused =
                        assertThrows(IOException.class, () -> probe.queueDeclare(queue, true, false, false, classic));
                assertTrue(String.valueOf(refused.getCause()).contains("'x-queue-type'"), refused.getCause()::toString);
            });
        }
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T uncheck(IoSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aMessageThatKeepsComingBackBecomesADeadLetterAfterTheDeliveryLimit() throws Exception {
        Topology.declare(channel, UNORDERED.exchange());
        channel.basicPublish(UNORDERED.exchange(), "poison", null, "poison".getBytes(StandardCharsets.UTF_8));
        int deliveries = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            GetResponse delivery = channel.basicGet(UNORDERED.queue(), false);
            if (delivery == null) {
                if (channel.messageCount(UNORDERED.deadLetterQueue()) > 0) {
                    break;
                }
                Thread.sleep(20);
                continue;
            }
            deliveries++;
            // as a consumer that dies with the message unacknowledged: it goes back to the queue
            channel.basicReject(delivery.getEnvelope().getDeliveryTag(), true);
        }
        assertEquals(Topology.DELIVERY_LIMIT + 1, deliveries, "delivered once and then up to the limit again");
        GetResponse dead = channel.basicGet(UNORDERED.deadLetterQueue(), true);
        assertNotNull(dead, "the message is in the dead-letter queue");
        assertEquals("poison", new String(dead.getBody(), StandardCharsets.UTF_8));
        assertNull(channel.basicGet(UNORDERED.queue(), true), "and no longer in the queue");
    }

    @Test
    void eachStockCommandGoesToTheShardOfItsAggregate() throws Exception {
        assertTrue(COMMANDS.sharded());
        Topology.declare(channel, COMMANDS.exchange());
        int[] expected = new int[COMMANDS.shards()];
        for (int i = 0; i < 64; i++) {
            String aggregate = "order-" + i;
            int shard = Topology.shardOf("order", aggregate, COMMANDS.shards());
            expected[shard]++;
            String key = Topology.routingKey(COMMANDS.exchange(), "ReserveStock", "order", aggregate);
            assertEquals(shard + ".ReserveStock", key);
            channel.basicPublish(COMMANDS.exchange(), key, null, aggregate.getBytes(StandardCharsets.UTF_8));
        }
        for (int shard = 0; shard < COMMANDS.shards(); shard++) {
            assertTrue(expected[shard] > 0, "64 aggregates spread over every shard");
            awaitDepth(COMMANDS.shardQueue(shard), expected[shard]);
        }
        assertEquals(
                COMMANDS.queue(),
                COMMANDS.arguments().get("x-dead-letter-routing-key"),
                "every shard's dead letters go to the one dead-letter queue");
        assertEquals(
                "ReserveStock",
                Topology.routingKey(Messages.STOCK_EVENTS_EXCHANGE, "ReserveStock", "order", "o-1"),
                "an unsharded exchange keeps the type as the key");
    }

    private void awaitDepth(String queue, int depth) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (channel.messageCount(queue) < depth && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(depth, channel.messageCount(queue), queue);
    }

    @Test
    void aShardGoesToOneConsumerAtATimeAndTheNextTakesOverWhenItGoes() throws Exception {
        assertTrue(COMMANDS.inOrder());
        Topology.declare(channel, COMMANDS.exchange());
        String shard = COMMANDS.shardQueue(0);
        java.util.List<String> first = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.List<String> second = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Channel one = connection.createChannel();
        Channel two = connection.createChannel();
        String tag = one.basicConsume(shard, true, (t, m) -> first.add(new String(m.getBody())), t -> {});
        two.basicConsume(shard, true, (t, m) -> second.add(new String(m.getBody())), t -> {});
        for (int i = 0; i < 20; i++) {
            channel.basicPublish(
                    COMMANDS.exchange(), "0.ReserveStock", null, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        awaitSize(first, 20);
        assertEquals(
                java.util.stream.IntStream.range(0, 20).mapToObj(i -> "m" + i).toList(), first, "all, in order");
        assertTrue(second.isEmpty(), "the standby received nothing: " + second);
        one.basicCancel(tag); // the active replica goes
        for (int i = 20; i < 30; i++) {
            channel.basicPublish(
                    COMMANDS.exchange(), "0.ReserveStock", null, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        awaitSize(second, 10);
        assertEquals(
                java.util.stream.IntStream.range(20, 30).mapToObj(i -> "m" + i).toList(), second);
        assertEquals(20, first.size());
    }

    private static void awaitSize(java.util.List<String> received, int size) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (received.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(size, received.size(), received::toString);
    }
}
