package com.sansam.runtime.outbox;

import com.sansam.messages.Bundles;
import com.sansam.runtime.broker.BrokerPublisher;
import com.sansam.runtime.tracing.MessageTraces;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to RabbitMQ. A round leases a batch in one short transaction ({@code FOR UPDATE SKIP
 * LOCKED}, then {@code next_attempt_at} moved past the lease, so every replica may run the relay and none takes
 * the others' rows), publishes it with no transaction open (pipelined, mandatory, confirmed: {@link BrokerPublisher}),
 * then marks the rows sent or failed in a second short transaction. Only the oldest unsent row of each aggregate is
 * eligible, and within a batch a row is sent only after its aggregate's previous one was confirmed, which keeps
 * per-aggregate order. Each message goes out in a PRODUCER span continuing the trace its row was written in
 * ({@link MessageTraces}). A failure is retried with exponential backoff; a replica that dies mid-round leaves its
 * lease to expire and the rows are published again. Delivery is at least once: consumers deduplicate by message id.
 * <p>
 * A nudge's drain claims from a floor ({@link ClaimFloor}: above the rows claimed a commit window ago), the poll from
 * the first id, so a claim reads the few index entries of recent rows and not those of every row sent since the last
 * vacuum; what a nudge cannot see (a transaction longer than the window, a retry after its backoff) the poll finds.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /*
     * Leases up to $1 unsent rows from id $3 on for $2 seconds, keeping only rows whose aggregate has no earlier
     * unsent row outside this batch (held by another replica, or waiting out a backoff). That probe compares
     * {@code e.id + 0}, not {@code e.id}, so that it can only use the aggregate's index: PostgreSQL knows nothing of the
     * dead entries in outbox_pending between vacuums and would otherwise walk that whole index for each row.
     */
    private static final String CLAIM = """
            with batch as (
                select id from outbox
                where sent_at is null and id >= $3 and next_attempt_at <= now()
                order by id limit $1
                for update skip locked),
            eligible as (
                select o.id from outbox o join batch b on b.id = o.id
                where not exists (select 1 from outbox e
                                  where e.aggregate_type = o.aggregate_type and e.aggregate_id = o.aggregate_id
                                    and e.sent_at is null and e.id + 0 < o.id
                                    and e.id not in (select id from batch)))
            update outbox o set next_attempt_at = now() + make_interval(secs => $2)
            from eligible where o.id = eligible.id
            returning o.id, o.message_id, o.exchange, o.routing_key, o.aggregate_type, o.aggregate_id, o.body, o.attempts,
                      o.trace_parent""";

    /** A leased row. */
    private record Row(
            long id,
            String messageId,
            String exchange,
            String routingKey,
            String aggregate,
            String aggregateId,
            String body,
            int attempts,
            String traceParent) {}

    private final BrokerPublisher publisher;
    private final MessageTraces traces;
    private final OutboxConfig config;
    private final Pool pool;
    private final Vertx vertx;
    private final Counter publishFailures;
    private final io.micrometer.core.instrument.DistributionSummary bundleRows;
    private final AtomicLong oldestUnsentAgeSeconds = new AtomicLong();
    private final AtomicBoolean nudgeRunning = new AtomicBoolean();
    private final AtomicBoolean nudgeAgain = new AtomicBoolean();
    private final ClaimFloor floor;

    public OutboxRelay(
            BrokerPublisher publisher,
            OutboxConfig config,
            com.sansam.runtime.db.MessagingPool messagingPool,
            MeterRegistry registry,
            Vertx vertx,
            MessageTraces traces) {
        this.traces = traces;
        Pool pool = messagingPool.get();
        this.publisher = publisher;
        this.config = config;
        this.pool = pool;
        this.vertx = vertx;
        this.floor = new ClaimFloor(config.commitWindow());
        this.publishFailures = registry.counter("sansam.outbox.publish.failures");
        this.bundleRows = io.micrometer.core.instrument.DistributionSummary.builder("sansam.outbox.bundle.rows")
                .description("Outbox rows in one broker message")
                .register(registry);
        registry.gauge("sansam.outbox.lag.seconds", oldestUnsentAgeSeconds);
    }

    /** The safety net: catches whatever no nudge published (crash between commit and nudge, failed publish). */
    @Scheduled(
            every = "${sansam.outbox.poll-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = OutboxEnabled.class)
    Uni<Void> poll() {
        return drain().call(this::measureLag);
    }

    /**
     * Publish now: call after a transaction that wrote outbox rows has committed. Cheap to call often: at most
     * one drain runs per replica, and nudges arriving meanwhile cause one more pass.
     */
    public void nudge() {
        if (!config.enabled()) {
            return;
        }
        nudgeAgain.set(true);
        if (nudgeRunning.compareAndSet(false, true)) {
            SafeContexts.fireAndForget(vertx, "Outbox nudge", this::drainWhileNudged);
        }
    }

    private Uni<Void> drainWhileNudged() {
        nudgeAgain.set(false);
        return drainNudged().eventually(() -> {
            nudgeRunning.set(false);
            if (nudgeAgain.get()) {
                nudge();
            }
        });
    }

    /** A nudge's drain: from the floor ({@link ClaimFloor}). */
    Uni<Void> drainNudged() {
        return drain(floor.floor());
    }

    /** Publishes batches until the backlog is empty. */
    public Uni<Void> drain() {
        return drain(0);
    }

    /** Publishes batches of rows from id {@code from} on until none is left to claim. */
    private Uni<Void> drain(long from) {
        return relayBatch(from)
                .repeat()
                .whilst(claimed -> claimed > 0) // until nothing is left to claim
                .collect()
                .last()
                .onFailure()
                .invoke(e -> LOG.warn("Outbox relay round failed", e))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Leases one batch, publishes it and records the outcome; answers how many rows were leased. */
    public Uni<Integer> relayBatch() {
        return relayBatch(0);
    }

    private Uni<Integer> relayBatch(long from) {
        return pool.preparedQuery(CLAIM) // one statement: its own transaction, no begin and commit round trips
                .execute(Tuple.of(config.batchSize(), (double) lease().toSeconds(), from))
                .chain(leased -> {
                    List<Row> rows = new ArrayList<>();
                    for (io.vertx.mutiny.sqlclient.Row r : leased) {
                        rows.add(new Row(
                                r.getLong("id"),
                                r.getUUID("message_id").toString(),
                                r.getString("exchange"),
                                // the row holds the message's type; a sharded exchange adds the aggregate's shard
                                com.sansam.runtime.broker.Topology.routingKey(
                                        r.getString("exchange"),
                                        r.getString("routing_key"),
                                        r.getString("aggregate_type"),
                                        r.getString("aggregate_id")),
                                r.getString("aggregate_type"),
                                r.getString("aggregate_id"),
                                r.getString("body"),
                                r.getInteger("attempts"),
                                r.getString("trace_parent")));
                    }
                    rows.sort(Comparator.comparingLong(Row::id));
                    if (rows.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    floor.claimed(rows.get(rows.size() - 1).id());
                    Map<Row, Throwable> failures = new HashMap<>();
                    return publishInWaves(rows, failures)
                            .chain(() -> record(rows, failures))
                            .replaceWith(rows.size());
                });
    }

    /** Long enough for a publish and its confirms, after which another round may take the rows again. */
    private Duration lease() {
        return config.confirmTimeout().multipliedBy(3);
    }

    /**
     * Publishes the rows pipelined, in waves that hold at most one row per aggregate: a row is only sent once its
     * aggregate's previous row was confirmed, so a failure never lets a later row of that aggregate overtake it.
     * Rows not attempted (behind a failed one) keep their lease and are taken again when it ends.
     */
    private Uni<Void> publishInWaves(List<Row> rows, Map<Row, Throwable> failures) {
        Map<String, ArrayDeque<Row>> byAggregate = new LinkedHashMap<>();
        for (Row row : rows) {
            byAggregate
                    .computeIfAbsent(row.aggregate() + "/" + row.aggregateId(), key -> new ArrayDeque<>())
                    .add(row);
        }
        return publishWave(byAggregate, failures);
    }

    private Uni<Void> publishWave(Map<String, ArrayDeque<Row>> byAggregate, Map<Row, Throwable> failures) {
        List<Row> wave = byAggregate.values().stream().map(ArrayDeque::poll).toList();
        if (wave.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return publish(wave, failures).chain(() -> {
            for (Row row : wave) {
                if (failures.containsKey(row)) { // its aggregate's later rows stay unsent, behind it
                    byAggregate.remove(row.aggregate() + "/" + row.aggregateId());
                }
            }
            byAggregate.values().removeIf(ArrayDeque::isEmpty);
            return publishWave(byAggregate, failures);
        });
    }

    /**
     * Publishes the rows at once (off the event loop) and waits for every confirm; notes each failure. Rows that go to
     * the same queue travel as one bundle (up to {@code sansam.outbox.bundle-size}), which is confirmed, or fails, as
     * a whole. A wave holds at most one row per aggregate, so a bundle never has to keep an order among its rows.
     */
    private Uni<Void> publish(List<Row> rows, Map<Row, Throwable> failures) {
        // A row written without a trace (a SKU's StockChanged from a batch of many orders) goes out without a span
        List<Span> spans = rows.stream()
                .map(row -> row.traceParent() == null
                        ? Span.getInvalid()
                        : traces.publishing(
                                row.traceParent(),
                                row.exchange(),
                                row.routingKey(),
                                row.messageId(),
                                MessageTraces.aggregate(row.aggregate(), row.aggregateId())))
                .toList();
        List<List<Integer>> bundles = bundles(rows);
        int[] messageOf = new int[rows.size()];
        List<BrokerPublisher.Outgoing> messages = new ArrayList<>(bundles.size());
        for (List<Integer> bundle : bundles) {
            Row first = rows.get(bundle.get(0));
            String firstTrace = MessageTraces.traceParent(spans.get(bundle.get(0)));
            bundle.forEach(i -> messageOf[i] = messages.size());
            bundleRows.record(bundle.size());
            messages.add(
                    bundle.size() == 1
                            ? new BrokerPublisher.Outgoing(
                                    first.exchange(),
                                    first.routingKey(),
                                    first.messageId(),
                                    first.aggregateId(),
                                    first.body(),
                                    firstTrace)
                            : new BrokerPublisher.Outgoing(
                                    first.exchange(),
                                    first.routingKey(),
                                    java.util.UUID.randomUUID().toString(),
                                    first.aggregateId(),
                                    Bundles.of(bundle.stream()
                                            .map(i -> new Bundles.Entry(
                                                    rows.get(i).body(), MessageTraces.traceParent(spans.get(i))))
                                            .toList()),
                                    firstTrace));
        }
        return Uni.createFrom()
                .<List<CompletableFuture<Void>>>item(() -> publisher.publish(messages))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(results -> Uni.createFrom()
                        .completionStage(CompletableFuture.allOf(results.stream()
                                .map(result -> result.handle((ok, failure) -> null))
                                .toArray(CompletableFuture[]::new)))
                        .ifNoItem()
                        .after(config.confirmTimeout())
                        .recoverWithItem((Void) null)
                        .replaceWith(results))
                .invoke(results -> {
                    for (int i = 0; i < rows.size(); i++) {
                        CompletableFuture<Void> result = results.get(messageOf[i]);
                        Throwable failure = result.isDone()
                                ? result.handle((ok, e) -> e).join()
                                : new TimeoutException("No confirm within " + config.confirmTimeout());
                        if (failure != null) {
                            failures.put(rows.get(i), failure);
                            spans.get(i).recordException(failure).setStatus(StatusCode.ERROR, "not published");
                        }
                        spans.get(i).end();
                    }
                })
                .replaceWithVoid();
    }

    /** The rows (by index, in order) grouped by the queue they reach, at most {@code bundle-size} to a group. */
    private List<List<Integer>> bundles(List<Row> rows) {
        List<List<Integer>> bundles = new ArrayList<>();
        Map<String, List<Integer>> open = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            String queue = com.sansam.runtime.broker.Topology.knows(row.exchange())
                    ? com.sansam.runtime.broker.Topology.queueOf(row.exchange(), row.routingKey())
                    : row.exchange() + " " + row.routingKey();
            List<Integer> bundle = open.get(queue);
            if (bundle == null || bundle.size() >= Math.max(1, config.bundleSize())) {
                bundle = new ArrayList<>();
                open.put(queue, bundle);
                bundles.add(bundle);
            }
            bundle.add(i);
        }
        return bundles;
    }

    /**
     * Marks the confirmed rows sent and the failed ones for a retry with backoff, in one short transaction (one
     * statement when nothing failed).
     */
    private Uni<Void> record(List<Row> rows, Map<Row, Throwable> failures) {
        List<Long> sent = new ArrayList<>();
        List<Tuple> failed = new ArrayList<>();
        for (Row row : rows) {
            Throwable failure = failures.get(row);
            if (failure == null) {
                if (!isBehindAFailure(row, failures)) {
                    sent.add(row.id());
                }
                continue;
            }
            int attempts = row.attempts() + 1;
            long backoff = Math.min(
                    config.maxBackoff().toMillis(),
                    config.initialBackoff().toMillis() * (1L << Math.min(attempts - 1, 20)));
            failed.add(Tuple.of(row.id(), String.valueOf(failure), (double) backoff / 1000));
        }
        if (!failures.isEmpty()) {
            publishFailures.increment(failures.size());
            Map.Entry<Row, Throwable> first = failures.entrySet().iterator().next();
            LOG.warnf(
                    "%d of %d outbox messages were not published (first: %s, attempt %d: %s); retried with backoff",
                    failures.size(),
                    rows.size(),
                    first.getKey().messageId(),
                    first.getKey().attempts() + 1,
                    first.getValue());
        }
        if (failed.isEmpty()) { // the usual round: one statement, its own transaction
            return sent.isEmpty() ? Uni.createFrom().voidItem() : markSent(pool, sent);
        }
        return pool.withTransaction(
                connection -> (sent.isEmpty() ? Uni.createFrom().voidItem() : markSent(connection, sent))
                        .chain(() -> connection
                                .preparedQuery("update outbox set attempts = attempts + 1, last_error = $2, "
                                        + "next_attempt_at = now() + make_interval(secs => $3) where id = $1")
                                .executeBatch(failed)
                                .replaceWithVoid()));
    }

    private static Uni<Void> markSent(io.vertx.mutiny.sqlclient.SqlClient client, List<Long> sent) {
        return client.preparedQuery(
                        "update outbox set sent_at = now(), attempts = attempts + 1, last_error = null where id = any($1)")
                .execute(Tuple.of(sent.toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /** A row never attempted because an earlier row of its aggregate failed in this round (it keeps its lease). */
    private static boolean isBehindAFailure(Row row, Map<Row, Throwable> failures) {
        return failures.keySet().stream()
                .anyMatch(failed -> failed.aggregate().equals(row.aggregate())
                        && failed.aggregateId().equals(row.aggregateId())
                        && failed.id() < row.id());
    }

    private Uni<Void> measureLag() {
        return pool.query(
                        "select coalesce(extract(epoch from now() - (select created_at from outbox where sent_at is null "
                                + "order by id limit 1)), 0)")
                .execute()
                .invoke(rows -> oldestUnsentAgeSeconds.set(
                        rows.iterator().next().getNumeric(0).longValue()))
                .replaceWithVoid();
    }
}
