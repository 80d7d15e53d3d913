package com.sansam.runtime.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import com.sansam.runtime.tracing.MessageTraces;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jboss.logging.Logger;

/**
 * Publishes to RabbitMQ with the two guarantees the outbox needs, which the messaging connector's outgoing
 * channels do not offer: every message is published {@code mandatory} (a message no queue takes is returned,
 * not silently dropped) and confirmed by the broker. A message counts as published only when it was confirmed
 * <em>and</em> not returned. Many messages may be in flight at once (one round trip per batch, not per message).
 * <p>
 * Before the first publish into an exchange on a connection, and again after a message to it came back
 * unroutable, the exchange's whole {@link Topology} is declared. The connection is re-opened on the next publish
 * after it failed; whatever was in flight then counts as not published (the outbox retries it, the inbox of the
 * consumer drops a duplicate).
 */
@ApplicationScoped
public class BrokerPublisher {

    private static final Logger LOG = Logger.getLogger(BrokerPublisher.class);

    /** A message to publish; {@code traceParent} (may be null) goes out as the W3C {@code traceparent} header. */
    public record Outgoing(
            String exchange,
            String routingKey,
            String messageId,
            String aggregateId,
            String body,
            String traceParent) {}

    /** Thrown (as the failure of a publish) when no queue took the message. */
    public static final class Unroutable extends IOException {
        Unroutable(String exchange, String routingKey, String reply) {
            super("Unroutable: no queue takes " + routingKey + " on " + exchange + " (" + reply + ")");
        }
    }

    private final BrokerConnections connections;
    private final MeterRegistry registry;
    /** The open connection; replaced when it failed. Guarded by {@code this}. */
    private Link link;

    public BrokerPublisher(BrokerConnections connections, MeterRegistry registry) {
        this.connections = connections;
        this.registry = registry;
    }

    /**
     * Publishes every message back to back and answers one future per message (same order), completed when the
     * broker confirmed it, failed when it was returned, refused, or the connection failed. Blocks while writing
     * to the socket: call it on a worker thread.
     */
    public synchronized List<CompletableFuture<Void>> publish(List<Outgoing> messages) {
        List<CompletableFuture<Void>> results = new ArrayList<>(messages.size());
        IOException broken = null; // once the connection failed, the rest of the batch waits for the next try
        for (Outgoing message : messages) {
            CompletableFuture<Void> result = new CompletableFuture<>();
            results.add(result);
            if (broken != null) {
                result.completeExceptionally(broken);
                continue;
            }
            if (!Topology.knows(message.exchange())) {
                result.completeExceptionally(
                        new IOException("No topology is defined for exchange " + message.exchange()));
                continue;
            }
            try {
                openLink().publish(message, result);
            } catch (IOException | RuntimeException e) {
                broken = e instanceof IOException io ? io : new IOException(e);
                result.completeExceptionally(broken);
                close();
            }
        }
        return results;
    }

    private Link openLink() throws IOException {
        if (link != null && link.channel.isOpen()) {
            return link;
        }
        close();
        // re-opened on demand; in-flight messages fail instead
        link = new Link(connections.open("outbox", false));
        return link;
    }

    private synchronized void close() {
        Link closing = link;
        link = null;
        if (closing != null) {
            closing.abort();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        close();
    }

    private record InFlight(Outgoing message, CompletableFuture<Void> result, IOException[] returned) {}

    /**
     * One connection with its confirm-mode channel and what is in flight on it. The broker's returns and confirms
     * arrive on the connection's own thread, in order: basic.return precedes the ack of the same message.
     */
    private final class Link {
        final Connection connection;
        final Channel channel;
        final ConcurrentSkipListMap<Long, InFlight> inFlight = new ConcurrentSkipListMap<>();
        final Map<String, InFlight> inFlightById = new ConcurrentHashMap<>();
        /** Exchanges whose topology was declared on this connection. */
        final Set<String> declared = ConcurrentHashMap.newKeySet();

        Link(Connection connection) throws IOException {
            this.connection = connection;
            this.channel = connection.createChannel();
            channel.confirmSelect();
            channel.addReturnListener(returned -> {
                registry.counter("sansam.outbox.unroutable", "exchange", returned.getExchange())
                        .increment();
                declared.remove(returned.getExchange()); // declared again before the retry
                InFlight entry = inFlightById.get(returned.getProperties().getMessageId());
                if (entry != null) {
                    entry.returned()[0] =
                            new Unroutable(returned.getExchange(), returned.getRoutingKey(), returned.getReplyText());
                }
            });
            channel.addConfirmListener(new ConfirmListener() {
                @Override
                public void handleAck(long sequence, boolean multiple) {
                    settle(sequence, multiple, null);
                }

                @Override
                public void handleNack(long sequence, boolean multiple) {
                    settle(sequence, multiple, new IOException("The broker refused the message (nack)"));
                }
            });
            channel.addShutdownListener(this::closed);
        }

        void publish(Outgoing message, CompletableFuture<Void> result) throws IOException {
            if (declared.add(message.exchange())) {
                Topology.declare(channel, message.exchange());
            }
            InFlight entry = new InFlight(message, result, new IOException[1]);
            inFlight.put(channel.getNextPublishSeqNo(), entry);
            inFlightById.put(message.messageId(), entry);
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .messageId(message.messageId())
                    .type(message.routingKey())
                    .contentType("application/json")
                    .deliveryMode(2) // persistent
                    .headers(
                            message.traceParent() == null
                                    ? Map.of("x-aggregate-id", message.aggregateId())
                                    : Map.of(
                                            "x-aggregate-id",
                                            message.aggregateId(),
                                            MessageTraces.HEADER,
                                            message.traceParent()))
                    .build();
            channel.basicPublish(
                    message.exchange(),
                    message.routingKey(),
                    true,
                    properties,
                    message.body().getBytes(StandardCharsets.UTF_8));
        }

        /** A confirm for one or, with {@code multiple}, every message up to the sequence number. */
        private void settle(long sequence, boolean multiple, IOException refused) {
            var settled = multiple ? inFlight.headMap(sequence, true) : inFlight.subMap(sequence, true, sequence, true);
            for (var iterator = settled.values().iterator(); iterator.hasNext(); ) {
                InFlight entry = iterator.next();
                iterator.remove();
                inFlightById.remove(entry.message().messageId(), entry);
                IOException failure = refused != null ? refused : entry.returned()[0];
                if (failure == null) {
                    entry.result().complete(null);
                } else {
                    entry.result().completeExceptionally(failure);
                }
            }
        }

        private void closed(ShutdownSignalException cause) {
            if (!inFlight.isEmpty()) {
                LOG.warnf(
                        "RabbitMQ channel of the outbox closed with %d messages unconfirmed: %s",
                        inFlight.size(), cause.getMessage());
            }
            IOException failure = new IOException("The RabbitMQ channel closed before the confirm", cause);
            for (var iterator = inFlight.values().iterator(); iterator.hasNext(); ) {
                iterator.next().result().completeExceptionally(failure);
                iterator.remove();
            }
            inFlightById.clear();
        }

        void abort() {
            try {
                connection.abort(1000);
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
    }
}
