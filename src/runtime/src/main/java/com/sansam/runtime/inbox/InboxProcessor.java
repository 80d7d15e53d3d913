package com.sansam.runtime.inbox;

import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.runtime.outbox.OutboxRelay;
import com.sansam.runtime.tracing.MessageTraces;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

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
 * Each message is handled in a CONSUMER span continuing the trace of its {@code traceparent} header
 * ({@link MessageTraces}).
 */
@ApplicationScoped
public class InboxProcessor {

    private static final Logger LOG = Logger.getLogger(InboxProcessor.class);

    private final Map<String, MessageHandler> handlers;
    private final InboxConfig config;
    private final OutboxRelay relay;
    private final MessageTraces traces;
    private final Counter processed;
    private final Counter duplicates;
    private final Counter deadLettered;
    private final Counter batchFallbacks;
    private final io.micrometer.core.instrument.Timer transactionTime;
    private final io.micrometer.core.instrument.Timer settleTime;
    private final Pool pool;

    public InboxProcessor(
            Instance<MessageHandler> handlers,
            InboxConfig config,
            OutboxRelay relay,
            MeterRegistry registry,
            com.sansam.runtime.db.MessagingPool pool,
            MessageTraces traces) {
        this.traces = traces;
        this.pool = pool.get();
        this.batchFallbacks = registry.counter("sansam.messages.batch_fallbacks");
        this.transactionTime = io.micrometer.core.instrument.Timer.builder("sansam.inbox.batch.transaction")
                .description("The transaction of one batch")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.settleTime = io.micrometer.core.instrument.Timer.builder("sansam.inbox.batch.settle")
                .description("Acks and after-commit work of one batch")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.handlers = handlers.stream().collect(Collectors.toMap(MessageHandler::channel, Function.identity()));
        this.config = config;
        this.relay = relay;
        this.processed = registry.counter("sansam.messages.processed");
        this.duplicates = registry.counter("sansam.messages.duplicates");
        this.deadLettered = registry.counter("sansam.messages.dead_lettered");
    }

    /** Processes one broker message of the channel and acks or rejects it. */
    public Uni<Void> consume(String channel, Message<?> message) {
        String body = IncomingMessages.bodyOf(message.getPayload());
        return Uni.createFrom()
                .deferred(() -> {
                    Envelope envelope = IncomingMessages.readable(body);
                    MessageTraces.Handling span =
                            traces.handling(channel, envelope, IncomingMessages.traceParentOf(message));
                    // an unreadable body goes through process(body), which fails it as permanent
                    Uni<Void> processed = envelope == null ? process(channel, body) : process(channel, envelope);
                    return processed.onTermination().invoke((ok, failure, cancelled) -> span.end(failure));
                })
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .onFailure()
                .call(failure -> deadLetter(channel, body, failure)
                        .onFailure()
                        .invoke(e ->
                                LOG.errorf(e, "Could not store dead letter of %s; the broker's DLQ keeps it", channel))
                        .onFailure()
                        .recoverWithNull()
                        .chain(() -> Uni.createFrom().completionStage(message.nack(failure))))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * Processes messages of one lane of the channel in arrival order and acks or rejects each. With a
     * {@link BatchHandler}, each run of consecutive batchable messages is applied in one transaction (group commit);
     * should that transaction fail, its messages go one by one through {@link #consume}.
     */
    public Uni<Void> consumeAll(String channel, List<? extends Message<?>> messages) {
        MessageHandler handler = handlers.get(channel);
        if (!(handler instanceof BatchHandler batch) || messages.size() == 1) {
            return inOrder(messages.stream()
                    .<Supplier<Uni<Void>>>map(message -> () -> consume(channel, message))
                    .toList());
        }
        List<Supplier<Uni<Void>>> steps = new ArrayList<>();
        List<Message<?>> run = new ArrayList<>();
        List<Envelope> runEnvelopes = new ArrayList<>();
        for (Message<?> message : messages) {
            Envelope envelope = IncomingMessages.readable(message);
            if (envelope != null && batch.batches(envelope)) {
                run.add(message);
                runEnvelopes.add(envelope);
                continue;
            }
            if (!run.isEmpty()) {
                steps.add(runStep(batch, List.copyOf(run), List.copyOf(runEnvelopes)));
                run.clear();
                runEnvelopes.clear();
            }
            steps.add(() -> consume(channel, message));
        }
        if (!run.isEmpty()) {
            steps.add(runStep(batch, run, runEnvelopes));
        }
        return inOrder(steps);
    }

    private Supplier<Uni<Void>> runStep(BatchHandler handler, List<Message<?>> messages, List<Envelope> envelopes) {
        String channel = handler.channel();
        return () -> {
            // one span per message, each in its own trace, all covering the shared transaction
            List<MessageTraces.Handling> spans = new ArrayList<>(messages.size());
            for (int i = 0; i < messages.size(); i++) {
                spans.add(traces.handling(channel, envelopes.get(i), IncomingMessages.traceParentOf(messages.get(i))));
            }
            return runBatch(handler, messages, envelopes, spans);
        };
    }

    private Uni<Void> runBatch(
            BatchHandler handler,
            List<Message<?>> messages,
            List<Envelope> envelopes,
            List<MessageTraces.Handling> spans) {
        String channel = handler.channel();
        return timed(transactionTime, applyBatch(handler, envelopes))
                .onTermination()
                .invoke((ok, failure, cancelled) -> MessageTraces.Handling.endAll(spans, failure))
                .map(Optional::of)
                .onFailure()
                .recoverWithItem(failure -> {
                    batchFallbacks.increment();
                    LOG.debugf(
                            "A batch of %d %s messages failed (%s); handling them one by one",
                            messages.size(), channel, failure);
                    return Optional.empty();
                })
                .chain(applied -> applied.isEmpty()
                        ? inOrder(messages.stream()
                                .<Supplier<Uni<Void>>>map(message -> () -> consume(channel, message))
                                .toList())
                        : timed(settleTime, settle(channel, messages, envelopes, applied.get())));
    }

    private static <T> Uni<T> timed(io.micrometer.core.instrument.Timer timer, Uni<T> work) {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return work.eventually(
                    () -> timer.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS));
        });
    }

    /** After a batch committed: acks what it applied, runs its after-commit work, then handles what it declined. */
    private Uni<Void> settle(String channel, List<Message<?>> messages, List<Envelope> envelopes, Applied applied) {
        relay.nudge();
        java.util.Set<UUID> declined =
                applied.declined().stream().map(Envelope::messageId).collect(Collectors.toSet());
        List<Supplier<Uni<Void>>> steps = new ArrayList<>();
        List<Message<?>> later = new ArrayList<>();
        List<Message<?>> done = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            (declined.contains(envelopes.get(i).messageId()) ? later : done).add(messages.get(i));
        }
        // All acks at once (each one is a hop to the broker client's thread, and one after the other they cost more
        // than the whole transaction under load), and beside them the after-commit work: both only follow the
        // commit, and the buyers waiting for a status should not wait for the acks too.
        steps.add(() -> Uni.join()
                .all(acks(channel, done), afterCommit(applied.afterCommit(), channel))
                .andCollectFailures()
                .replaceWithVoid());
        later.forEach(message -> steps.add(() -> consume(channel, message)));
        return inOrder(steps);
    }

    private static Uni<Void> acks(String channel, List<Message<?>> done) {
        if (done.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join()
                .all(done.stream()
                        .map(message -> Uni.createFrom().completionStage(message.ack()))
                        .toList())
                .andCollectFailures()
                .replaceWithVoid()
                .onFailure()
                .invoke(e -> LOG.warnf(
                        "Acks of a %s batch failed (the broker redelivers; the inbox dedupes): %s",
                        channel, e.toString()))
                .onFailure()
                .recoverWithNull();
    }

    /** Processes a message body with retries; fails with the last error when every try failed. */
    public Uni<Void> process(String channel, String body) {
        Envelope envelope;
        try {
            envelope = Messages.envelope(body);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new PermanentFailure(e.getMessage(), e));
        }
        return process(channel, envelope);
    }

    private Uni<Void> process(String channel, Envelope envelope) {
        MessageHandler handler = handlers.get(channel);
        if (handler == null) {
            return Uni.createFrom().failure(new PermanentFailure("No handler for channel " + channel));
        }
        return Uni.createFrom()
                .deferred(() -> once(handler, envelope))
                .onFailure(failure -> !(failure instanceof PermanentFailure))
                .retry()
                .withBackOff(config.initialBackoff(), config.maxBackoff())
                .atMost(Math.max(0, config.maxAttempts() - 1))
                .invoke(relay::nudge)
                .call(after -> after == null ? Uni.createFrom().voidItem() : afterCommit(after.work(), channel))
                .replaceWithVoid();
    }

    private static Uni<Void> afterCommit(Supplier<Uni<Void>> work, String channel) {
        return Uni.createFrom()
                .deferred(work::get)
                .onFailure()
                .invoke(e -> LOG.warnf(e, "After-commit step of a %s message failed", channel))
                .onFailure()
                .recoverWithNull();
    }

    /** Applies the message once; answers its after-commit work, or null when it was a duplicate. */
    private Uni<After> once(MessageHandler handler, Envelope envelope) {
        if (handler instanceof BatchHandler batch && batch.batches(envelope)) {
            return applyBatch(batch, List.of(envelope)).chain(applied -> {
                if (applied.declined().isEmpty()) {
                    return Uni.createFrom().item(applied.fresh() == 0 ? null : new After(applied.afterCommit()));
                }
                return afterCommit(applied.afterCommit(), handler.channel()).chain(() -> inSession(handler, envelope));
            });
        }
        return inSession(handler, envelope);
    }

    /** Applies the message in a Hibernate Reactive transaction. */
    private Uni<After> inSession(MessageHandler handler, Envelope envelope) {
        return Panache.withTransaction(() -> claim(envelope.messageId(), handler.channel())
                .chain(fresh -> {
                    if (!fresh) {
                        duplicates.increment();
                        LOG.debugf("Duplicate %s %s ignored", envelope.type(), envelope.messageId());
                        return Uni.createFrom().<After>nullItem();
                    }
                    processed.increment();
                    return handler.handleThen(envelope).map(After::new);
                }));
    }

    /** Work to run once a message's transaction committed. */
    private record After(Supplier<Uni<Void>> work) {}

    /** What a committed batch did. */
    private record Applied(int fresh, List<Envelope> declined, Supplier<Uni<Void>> afterCommit) {}

    /**
     * One transaction on the SQL client: records the ids in the inbox, applies the new messages, and takes the
     * ids of declined ones out again (they are handled alone afterwards).
     */
    private Uni<Applied> applyBatch(BatchHandler handler, List<Envelope> envelopes) {
        UUID[] ids = envelopes.stream().map(Envelope::messageId).toArray(UUID[]::new);
        return pool.withTransaction(connection -> connection
                        .preparedQuery(CLAIM_ALL)
                        .execute(Tuple.of(ids, handler.channel()))
                        .chain(rows -> {
                            java.util.Set<UUID> claimed = new java.util.HashSet<>();
                            rows.forEach(row -> claimed.add(row.getUUID(0)));
                            List<Envelope> fresh = envelopes.stream()
                                    .filter(e -> claimed.remove(e.messageId()))
                                    .toList();
                            if (fresh.isEmpty()) {
                                return Uni.createFrom()
                                        .item(new Applied(
                                                0,
                                                List.of(),
                                                () -> Uni.createFrom().voidItem()));
                            }
                            return handler.handleBatch(connection, fresh).chain(result -> {
                                Applied applied = new Applied(fresh.size(), result.declined(), result.afterCommit());
                                if (result.declined().isEmpty()) {
                                    return Uni.createFrom().item(applied);
                                }
                                UUID[] unclaim = result.declined().stream()
                                        .map(Envelope::messageId)
                                        .toArray(UUID[]::new);
                                return connection
                                        .preparedQuery("delete from inbox where message_id = any($1) and consumer = $2")
                                        .execute(Tuple.of(unclaim, handler.channel()))
                                        .replaceWith(applied);
                            });
                        }))
                .invoke(applied -> {
                    processed.increment(applied.fresh() - applied.declined().size());
                    duplicates.increment(envelopes.size() - applied.fresh());
                });
    }

    private static final String CLAIM_ALL = """
            insert into inbox (message_id, consumer, processed_at)
            select distinct id, $2, now() from unnest($1::uuid[]) as id
            on conflict do nothing
            returning message_id""";

    private static Uni<Void> inOrder(List<Supplier<Uni<Void>>> steps) {
        return Multi.createFrom()
                .iterable(steps)
                .onItem()
                .transformToUniAndConcatenate(Supplier::get)
                .collect()
                .last()
                .replaceWithVoid();
    }

    private static Uni<Boolean> claim(UUID messageId, String consumer) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                        insert into inbox (message_id, consumer, processed_at) values (:id, :consumer, now())
                        on conflict do nothing""")
                        .setParameter("id", messageId)
                        .setParameter("consumer", consumer)
                        .executeUpdate()
                        .map(count -> count == 1));
    }

    private Uni<Void> deadLetter(String channel, String body, Throwable failure) {
        deadLettered.increment();
        DeadLetter letter =
                DeadLetter.of(channel, body, failure, failure instanceof PermanentFailure ? 1 : config.maxAttempts());
        // the message id and the aggregate (the order) let operations find it in the traces and the dead letters
        LOG.errorf(
                "Dead-lettering %s message %s of %s: %s",
                channel, letter.messageId, letter.aggregate, failure.toString());
        return Panache.withTransaction(letter::persist).replaceWithVoid();
    }
}
