package com.sansam.runtime.inbox;

import static com.sansam.runtime.inbox.TestHandlers.BATCH;
import static com.sansam.runtime.inbox.TestHandlers.SINGLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link InboxProcessor} on its own: test handlers ({@link TestHandlers}) whose effect is a row, real PostgreSQL, and
 * broker messages that record whether they were acked or rejected (no broker: the processor only acks and nacks).
 */
@QuarkusTest
@TestProfile(InboxTestProfile.class)
class InboxProcessorTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    InboxProcessor inbox;

    @Inject
    TestHandlers.Record record;

    @Inject
    Pool pool;

    /** How each message ended at the broker: "ack" or "nack". */
    private final Map<UUID, String> settled = new ConcurrentHashMap<>();

    @BeforeEach
    void clean() {
        record.reset();
        settled.clear();
        pool.query("""
                        create table if not exists inbox_test_effect (
                            seq bigint generated always as identity primary key,
                            message_id uuid not null,
                            channel text not null,
                            path text not null)""")
                .execute()
                .chain(() -> pool.query("truncate inbox_test_effect, inbox, dead_letter")
                        .execute())
                .await()
                .atMost(WAIT);
    }

    @Test
    void aMessageDeliveredTwiceTakesEffectOnce() {
        Envelope envelope = envelope(SINGLE, "ok", "a");
        consume(SINGLE, envelope);
        consume(SINGLE, envelope);

        assertEquals(List.of(envelope.messageId()), effects());
        assertEquals("ack", settled.get(envelope.messageId()));
        assertEquals(List.of(envelope.messageId()), record.afterCommit, "after-commit work runs for the first only");
        assertEquals(0, deadLetters());
    }

    @Test
    void aTransientFailureIsRetriedUntilItSucceeds() {
        Envelope envelope = envelope(SINGLE, "flaky", "a");
        consume(SINGLE, envelope);

        assertEquals(
                TestHandlers.FLAKY_FAILURES + 1,
                record.tries.get(envelope.messageId()).get());
        assertEquals(List.of(envelope.messageId()), effects());
        assertEquals("ack", settled.get(envelope.messageId()));
        assertEquals(0, deadLetters());
    }

    @Test
    void aMessageThatFailsEveryTryIsDeadLetteredAndRejected() {
        Envelope envelope = envelope(SINGLE, "broken", "order-7");
        consume(SINGLE, envelope);

        assertEquals(3, record.tries.get(envelope.messageId()).get(), "sansam.inbox.max-attempts tries");
        assertEquals(List.of(), effects());
        assertEquals("nack", settled.get(envelope.messageId()));
        Row letter = deadLetter();
        assertEquals(envelope.messageId(), letter.getUUID("message_id"));
        assertEquals(SINGLE, letter.getString("channel"));
        assertEquals(3, letter.getInteger("attempts"));
        assertTrue(letter.getString("error").contains("broken"), letter.getString("error"));
        assertEquals(0L, inboxRows(), "a failed message leaves no inbox row: a replay applies it");
    }

    @Test
    void aPermanentFailureIsDeadLetteredAtOnce() {
        Envelope envelope = envelope(SINGLE, "poison", "a");
        consume(SINGLE, envelope);

        assertEquals(1, record.tries.get(envelope.messageId()).get());
        assertEquals("nack", settled.get(envelope.messageId()));
        assertEquals(1, deadLetter().getInteger("attempts"));
    }

    @Test
    void anUnreadableBodyIsDeadLetteredUntouched() {
        List<String> outcome = new ArrayList<>();
        Message<String> message = Message.of(
                "{not an envelope",
                () -> {
                    outcome.add("ack");
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    outcome.add("nack");
                    return CompletableFuture.completedFuture(null);
                });
        await(() -> inbox.consume(SINGLE, message));

        assertEquals(List.of("nack"), outcome);
        Row letter = deadLetter();
        assertNull(letter.getUUID("message_id"));
        assertEquals("{not an envelope", letter.getString("body"));
        assertEquals(1, letter.getInteger("attempts"));
    }

    @Test
    void consecutiveBatchableMessagesShareATransactionAndKeepTheirOrder() {
        List<Envelope> envelopes = List.of(
                envelope(BATCH, "ok", "a"),
                envelope(BATCH, "ok", "b"),
                envelope(BATCH, "alone", "c"),
                envelope(BATCH, "ok", "d"),
                envelope(BATCH, "ok", "e"));
        consumeAll(BATCH, envelopes);

        assertEquals(ids(envelopes), effects());
        assertEquals(List.of(2, 2), record.batchSizes, "the message that is not batched splits the run");
        assertEquals(List.of("batch", "batch", "single", "batch", "batch"), paths());
        envelopes.forEach(envelope -> assertEquals("ack", settled.get(envelope.messageId())));
        assertEquals(ids(envelopes), record.afterCommit);
    }

    @Test
    void aDeclinedMessageIsHandledAloneAfterTheBatchAndItsAggregateAfterIt() {
        Envelope first = envelope(BATCH, "ok", "a");
        Envelope declined = envelope(BATCH, "decline", "b");
        Envelope sameAggregate = envelope(BATCH, "ok", "b");
        Envelope other = envelope(BATCH, "ok", "c");
        consumeAll(BATCH, List.of(first, declined, sameAggregate, other));

        assertEquals(ids(List.of(first, other, declined, sameAggregate)), effects());
        List.of(first, declined, sameAggregate, other)
                .forEach(envelope -> assertEquals("ack", settled.get(envelope.messageId())));
        assertEquals(4L, inboxRows());
        assertEquals(0, deadLetters());
    }

    @Test
    void aFailedBatchFallsBackOneByOneAndOnlyThePoisonIsDeadLettered() {
        Envelope before = envelope(BATCH, "ok", "a");
        Envelope poison = envelope(BATCH, "poison", "b");
        Envelope after = envelope(BATCH, "ok", "c");
        consumeAll(BATCH, List.of(before, poison, after));

        assertEquals(ids(List.of(before, after)), effects(), "the failed batch left nothing behind");
        assertEquals("ack", settled.get(before.messageId()));
        assertEquals("nack", settled.get(poison.messageId()));
        assertEquals("ack", settled.get(after.messageId()));
        assertEquals(poison.messageId(), deadLetter().getUUID("message_id"));
        assertEquals(ids(List.of(before, after)), record.afterCommit);
    }

    @Test
    void aBatchWithADuplicateAndARedeliveryTakesEachEffectOnce() {
        Envelope once = envelope(BATCH, "ok", "a");
        Envelope twice = envelope(BATCH, "ok", "b");
        consumeAll(BATCH, List.of(once, twice, twice));
        consumeAll(BATCH, List.of(once, twice));

        assertEquals(ids(List.of(once, twice)), effects());
        assertEquals(ids(List.of(once, twice)), record.afterCommit, "after-commit work for new messages only");
    }

    @Test
    void aBundleIsAppliedEnvelopeByEnvelopeAndAcknowledgedOnceAfterTheLast() {
        Envelope first = envelope(BATCH, "ok", "a");
        Envelope second = envelope(BATCH, "ok", "b");
        List<String> bundleSettled = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Message<String>> parts = BundledMessages.split(bundle(List.of(first, second), bundleSettled));

        assertEquals(2, parts.size());
        assertEquals(
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                IncomingMessages.traceParentOf(parts.get(0)),
                "each message keeps the trace it was sent in");
        await(() -> inbox.consumeAll(BATCH, parts));

        assertEquals(ids(List.of(first, second)), effects());
        assertEquals(List.of("ack"), bundleSettled);
        await(() -> inbox.consumeAll(BATCH, BundledMessages.split(bundle(List.of(first, second), bundleSettled))));
        assertEquals(ids(List.of(first, second)), effects(), "a bundle delivered again changes nothing");
        assertEquals(List.of("ack", "ack"), bundleSettled);
    }

    @Test
    void aBundleWithAPoisonIsRejectedOnceAfterTheOthersWereApplied() {
        Envelope before = envelope(BATCH, "ok", "a");
        Envelope poison = envelope(BATCH, "poison", "b");
        Envelope after = envelope(BATCH, "ok", "c");
        List<String> bundleSettled = new java.util.concurrent.CopyOnWriteArrayList<>();

        await(() ->
                inbox.consumeAll(BATCH, BundledMessages.split(bundle(List.of(before, poison, after), bundleSettled))));

        assertEquals(ids(List.of(before, after)), effects());
        assertEquals(poison.messageId(), deadLetter().getUUID("message_id"), "the poison alone is a dead letter");
        assertEquals(List.of("nack"), bundleSettled, "the broker message goes to the dead letters, once");
    }

    @Test
    void anUnreadableBundleIsOneMessageAndDeadLetteredUntouched() {
        Message<String> broken = Message.of(com.sansam.messages.Bundles.PREFIX + "{\"envelope\":");

        assertEquals(List.of(broken), BundledMessages.split(broken));
    }

    /** The envelopes as one broker message (the first with a trace context), recording how it was settled. */
    private static Message<String> bundle(List<Envelope> envelopes, List<String> settled) {
        List<com.sansam.messages.Bundles.Entry> entries = new ArrayList<>();
        for (Envelope envelope : envelopes) {
            entries.add(new com.sansam.messages.Bundles.Entry(
                    Messages.toJson(envelope),
                    entries.isEmpty() ? "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" : null));
        }
        return Message.of(
                com.sansam.messages.Bundles.of(entries),
                () -> {
                    settled.add("ack");
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    settled.add("nack");
                    return CompletableFuture.completedFuture(null);
                });
    }

    private static Envelope envelope(String channel, String type, String aggregate) {
        return new Envelope(
                UUID.randomUUID(),
                type,
                channel,
                aggregate,
                Envelope.SCHEMA_VERSION,
                Instant.now(),
                JsonNodeFactory.instance.objectNode().put("note", type));
    }

    private Message<String> message(Envelope envelope) {
        return Message.of(
                Messages.toJson(envelope),
                () -> {
                    settled.merge(envelope.messageId(), "ack", (was, now) -> was.equals("nack") ? was : now);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    settled.put(envelope.messageId(), "nack");
                    return CompletableFuture.completedFuture(null);
                });
    }

    private void consume(String channel, Envelope envelope) {
        await(() -> inbox.consume(channel, message(envelope)));
    }

    private void consumeAll(String channel, List<Envelope> envelopes) {
        List<Message<?>> messages =
                envelopes.stream().<Message<?>>map(this::message).toList();
        await(() -> inbox.consumeAll(channel, messages));
    }

    private static <T> void await(Supplier<Uni<T>> work) {
        try {
            VertxContextSupport.subscribeAndAwait(work);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private List<UUID> effects() {
        List<UUID> ids = new ArrayList<>();
        rows("select message_id from inbox_test_effect order by seq").forEach(row -> ids.add(row.getUUID(0)));
        return ids;
    }

    private List<String> paths() {
        List<String> paths = new ArrayList<>();
        rows("select path from inbox_test_effect order by seq").forEach(row -> paths.add(row.getString(0)));
        return paths;
    }

    private long inboxRows() {
        return rows("select count(*) from inbox").iterator().next().getLong(0);
    }

    private int deadLetters() {
        return rows("select id from dead_letter").size();
    }

    private Row deadLetter() {
        io.vertx.mutiny.sqlclient.RowSet<Row> letters = rows("select * from dead_letter");
        assertEquals(1, letters.size(), "one dead letter");
        return letters.iterator().next();
    }

    private io.vertx.mutiny.sqlclient.RowSet<Row> rows(String sql) {
        return pool.preparedQuery(sql).execute(Tuple.tuple()).await().atMost(WAIT);
    }

    private static List<UUID> ids(List<Envelope> envelopes) {
        return envelopes.stream().map(Envelope::messageId).toList();
    }
}
