package com.sansam.contracts.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.sansam.contracts.Messages;
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
            channel.queueDelete(route.queue());
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
            Map<String, Map<String, Object>> declared =
                    Map.of(route.queue(), route.arguments(), route.deadLetterQueue(), route.deadLetterArguments());
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
        Topology.declare(channel, COMMANDS.exchange());
        channel.basicPublish(COMMANDS.exchange(), "order.poison", null, "poison".getBytes(StandardCharsets.UTF_8));
        int deliveries = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            GetResponse delivery = channel.basicGet(COMMANDS.queue(), false);
            if (delivery == null) {
                if (channel.messageCount(COMMANDS.deadLetterQueue()) > 0) {
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
        GetResponse dead = channel.basicGet(COMMANDS.deadLetterQueue(), true);
        assertNotNull(dead, "the message is in the dead-letter queue");
        assertEquals("poison", new String(dead.getBody(), StandardCharsets.UTF_8));
        assertNull(channel.basicGet(COMMANDS.queue(), true), "and no longer in the queue");
    }
}
