package com.sansam.contracts.inbox;

import com.sansam.contracts.Envelope;
import com.sansam.contracts.Messages;
import com.sansam.contracts.outbox.OutboxRelay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs incoming messages through their {@link MessageHandler} exactly once in effect:
 * <ol>
 *   <li>the message id is inserted into the {@code inbox} table in the same transaction as the handler's effect;
 *   a duplicate finds its id there and changes nothing;</li>
 *   <li>the broker message is acked only after that transaction committed;</li>
 *   <li>transient failures are retried with backoff; after {@code sansam.inbox.max-attempts} tries, or at once
 *   for a {@link PermanentFailure}, the message is stored in {@code dead_letter} and rejected to the broker's
 *   dead-letter exchange.</li>
 * </ol>
 */
@ApplicationScoped
public class InboxProcessor {

    private static final Logger LOG = Logger.getLogger(InboxProcessor.class);

    private final Map<String, MessageHandler> handlers;
    private final InboxConfig config;
    private final OutboxRelay relay;
    private final Counter processed;
    private final Counter duplicates;
    private final Counter deadLettered;

    public InboxProcessor(Instance<MessageHandler> handlers, InboxConfig config, OutboxRelay relay, MeterRegistry registry) {
        this.handlers = handlers.stream().collect(Collectors.toMap(MessageHandler::channel, Function.identity()));
        this.config = config;
        this.relay = relay;
        this.processed = registry.counter("sansam.messages.processed");
        this.duplicates = registry.counter("sansam.messages.duplicates");
        this.deadLettered = registry.counter("sansam.messages.dead_lettered");
    }

    /** Processes one broker message of the channel and acks or rejects it. */
    public Uni<Void> consume(String channel, Message<?> message) {
        String body = bodyOf(message.getPayload());
        return process(channel, body)
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().call(failure -> deadLetter(channel, body, failure)
                        .onFailure().invoke(e -> LOG.errorf(e, "Could not store dead letter of %s; the broker's DLQ keeps it", channel))
                        .onFailure().recoverWithNull()
                        .chain(() -> Uni.createFrom().completionStage(message.nack(failure))))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Processes a message body with retries; fails with the last error when every try failed. */
    public Uni<Void> process(String channel, String body) {
        MessageHandler handler = handlers.get(channel);
        if (handler == null) {
            return Uni.createFrom().failure(new PermanentFailure("No handler for channel " + channel));
        }
        Envelope envelope;
        try {
            envelope = Messages.envelope(body);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new PermanentFailure(e.getMessage(), e));
        }
        return Uni.createFrom().deferred(() -> once(handler, envelope))
                .onFailure(failure -> !(failure instanceof PermanentFailure))
                .retry().withBackOff(config.initialBackoff(), config.maxBackoff()).atMost(Math.max(0, config.maxAttempts() - 1))
                .invoke(relay::nudge)
                .call(fresh -> fresh ? handler.afterCommit(envelope)
                        .onFailure().invoke(e -> LOG.warnf(e, "After-commit step of %s failed", envelope.type()))
                        .onFailure().recoverWithNull() : Uni.createFrom().voidItem())
                .replaceWithVoid();
    }

    /** Answers whether the message was new (false: a duplicate, nothing done). */
    private Uni<Boolean> once(MessageHandler handler, Envelope envelope) {
        return Panache.withTransaction(() -> claim(envelope.messageId(), handler.channel())
                .chain(fresh -> {
                    if (!fresh) {
                        duplicates.increment();
                        LOG.debugf("Duplicate %s %s ignored", envelope.type(), envelope.messageId());
                        return Uni.createFrom().item(false);
                    }
                    processed.increment();
                    return handler.handle(envelope).replaceWith(true);
                }));
    }

    private static Uni<Boolean> claim(UUID messageId, String consumer) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        insert into inbox (message_id, consumer, processed_at) values (:id, :consumer, now())
                        on conflict do nothing""")
                .setParameter("id", messageId)
                .setParameter("consumer", consumer)
                .executeUpdate()
                .map(count -> count == 1));
    }

    private Uni<Void> deadLetter(String channel, String body, Throwable failure) {
        deadLettered.increment();
        LOG.errorf("Dead-lettering a %s message: %s", channel, failure.toString());
        DeadLetter letter = new DeadLetter();
        letter.channel = channel;
        letter.body = body;
        letter.error = String.valueOf(failure);
        letter.attempts = failure instanceof PermanentFailure ? 1 : config.maxAttempts();
        letter.createdAt = Instant.now();
        try {
            Envelope envelope = Messages.envelope(body);
            letter.messageId = envelope.messageId();
            letter.type = envelope.type();
        } catch (IllegalArgumentException unreadable) {
            letter.type = "unreadable";
        }
        return Panache.withTransaction(letter::persist).replaceWithVoid();
    }

    /** Runs a dead letter through its handler again; answers it with its new state. */
    public Uni<DeadLetter> replay(long id) {
        return Panache.withSession(() -> DeadLetter.<DeadLetter>findById(id)).chain(letter -> {
            if (letter == null || letter.replayedAt != null) {
                return Uni.createFrom().item(letter);
            }
            return process(letter.channel, letter.body)
                    .map(ignored -> (Throwable) null)
                    .onFailure().recoverWithItem(Function.identity())
                    .chain(failure -> Panache.withTransaction(() -> DeadLetter.<DeadLetter>findById(id).invoke(stored -> {
                        stored.attempts++;
                        if (failure == null) {
                            stored.replayedAt = Instant.now();
                        } else {
                            stored.error = String.valueOf(failure);
                        }
                    })));
        });
    }

    static String bodyOf(Object payload) {
        if (payload instanceof String text) {
            return text;
        }
        if (payload instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (payload instanceof Buffer buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
        if (payload instanceof io.vertx.mutiny.core.buffer.Buffer buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
        if (payload instanceof JsonObject json) {
            return json.encode();
        }
        return String.valueOf(payload);
    }
}
