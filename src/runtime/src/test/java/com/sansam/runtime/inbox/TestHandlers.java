package com.sansam.runtime.inbox;

import com.sansam.messages.Envelope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Handlers whose effect is a row of {@code inbox_test_effect} (written in the message's transaction, numbered in the
 * order applied; its channel is the message's aggregate type), told what to do by the message's {@code type}:
 * {@code ok}; {@code flaky} (fails the first {@link #FLAKY_FAILURES} tries); {@code broken} (fails every try);
 * {@code poison} (a {@link PermanentFailure}); for the batch channel also {@code alone} (not batched) and
 * {@code decline} (left by the batch to the single path, with every later message of its aggregate).
 */
final class TestHandlers {

    static final String SINGLE = "inbox-test-single";
    static final String BATCH = "inbox-test-batch";
    static final int FLAKY_FAILURES = 2;

    private static final String EFFECT =
            "insert into inbox_test_effect (message_id, channel, path) values ($1, $2, $3)";

    private TestHandlers() {}

    /** What every handler saw, for the test to read (a singleton: no client proxy between its fields and them). */
    @jakarta.inject.Singleton
    static class Record {
        final Map<UUID, AtomicInteger> tries = new ConcurrentHashMap<>();
        final List<UUID> afterCommit = new CopyOnWriteArrayList<>();
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

        void reset() {
            tries.clear();
            afterCommit.clear();
            batchSizes.clear();
        }

        /** Counts a try and fails it as the message's type says. */
        void tryIt(Envelope envelope) {
            int attempt = tries.computeIfAbsent(envelope.messageId(), id -> new AtomicInteger())
                    .incrementAndGet();
            switch (envelope.type()) {
                case "poison" -> throw new PermanentFailure("poison " + envelope.messageId());
                case "broken" -> throw new IllegalStateException("broken, try " + attempt);
                case "flaky" -> {
                    if (attempt <= FLAKY_FAILURES) {
                        throw new IllegalStateException("flaky, try " + attempt);
                    }
                }
                default -> {}
            }
        }
    }

    /** One message per transaction, through Hibernate Reactive's session. */
    @ApplicationScoped
    static class Single implements MessageHandler {

        private final Record record;

        Single(Record record) {
            this.record = record;
        }

        @Override
        public String channel() {
            return SINGLE;
        }

        @Override
        public Uni<Void> handle(Envelope envelope) {
            return handleAlone(record, envelope);
        }

        @Override
        public Uni<Void> afterCommit(Envelope envelope) {
            record.afterCommit.add(envelope.messageId());
            return Uni.createFrom().voidItem();
        }
    }

    /** Many messages per transaction on the SQL client. */
    @ApplicationScoped
    static class Batch implements BatchHandler {

        private final Record record;

        Batch(Record record) {
            this.record = record;
        }

        @Override
        public String channel() {
            return BATCH;
        }

        @Override
        public boolean batches(Envelope envelope) {
            return !"alone".equals(envelope.type());
        }

        @Override
        public Uni<Void> handle(Envelope envelope) {
            return handleAlone(record, envelope);
        }

        @Override
        public Uni<Result> handleBatch(SqlConnection connection, List<Envelope> envelopes) {
            record.batchSizes.add(envelopes.size());
            List<Envelope> applied = new ArrayList<>();
            List<Envelope> declined = new ArrayList<>();
            java.util.Set<String> declinedAggregates = new java.util.HashSet<>();
            for (Envelope envelope : envelopes) {
                if ("decline".equals(envelope.type()) || declinedAggregates.contains(envelope.aggregateId())) {
                    declined.add(envelope);
                    declinedAggregates.add(envelope.aggregateId());
                    continue;
                }
                record.tryIt(envelope); // a failure here fails the whole batch
                applied.add(envelope);
            }
            Uni<Void> effects = Uni.createFrom().voidItem();
            for (Envelope envelope : applied) {
                effects = effects.chain(() -> connection
                        .preparedQuery(EFFECT)
                        .execute(Tuple.of(envelope.messageId(), envelope.aggregateType(), "batch"))
                        .replaceWithVoid());
            }
            Supplier<Uni<Void>> after = () -> {
                applied.forEach(envelope -> record.afterCommit.add(envelope.messageId()));
                return Uni.createFrom().voidItem();
            };
            return effects.replaceWith(new Result(List.copyOf(declined), after));
        }

        @Override
        public Uni<Void> afterCommit(Envelope envelope) {
            record.afterCommit.add(envelope.messageId());
            return Uni.createFrom().voidItem();
        }
    }

    /** The single-message path of both handlers: a try as the message's type says, then the effect row. */
    private static Uni<Void> handleAlone(Record record, Envelope envelope) {
        return Uni.createFrom()
                .item(() -> {
                    record.tryIt(envelope);
                    return envelope;
                })
                .chain(ok -> effect(envelope, "single"));
    }

    private static Uni<Void> effect(Envelope envelope, String path) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "insert into inbox_test_effect (message_id, channel, path) values (:id, :channel, :path)")
                        .setParameter("id", envelope.messageId())
                        .setParameter("channel", envelope.aggregateType())
                        .setParameter("path", path)
                        .executeUpdate())
                .replaceWithVoid();
    }
}
