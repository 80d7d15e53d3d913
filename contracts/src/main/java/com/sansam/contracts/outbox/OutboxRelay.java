package com.sansam.contracts.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import com.sansam.contracts.broker.BrokerPublisher;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes outbox rows to RabbitMQ. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so every replica
 * may run the relay; only the oldest unsent row of each aggregate is eligible, which keeps per-aggregate
 * order. A row is marked sent only after the broker confirmed it (publisher confirms); a failure is retried
 * with exponential backoff. Delivery is at least once: consumers deduplicate by message id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /*
     * Claims up to :batch unsent rows (SKIP LOCKED: replicas never wait for each other), then keeps only rows
     * whose aggregate has no earlier unsent row outside this batch (held by another replica, or waiting out a
     * backoff): within the batch rows are published in id order, so per-aggregate order holds.
     */
    private static final String CLAIM = """
            with batch as (
                select id from outbox
                where sent_at is null and next_attempt_at <= now()
                order by id limit :batch
                for update skip locked)
            select o.* from outbox o join batch b on b.id = o.id
            where not exists (select 1 from outbox e
                              where e.aggregate_type = o.aggregate_type and e.aggregate_id = o.aggregate_id
                                and e.sent_at is null and e.id < o.id and e.id not in (select id from batch))
            order by o.id""";

    private final BrokerPublisher publisher;
    private final OutboxConfig config;
    private final Vertx vertx;
    private final io.micrometer.core.instrument.Counter publishFailures;
    private final AtomicLong oldestUnsentAgeSeconds = new AtomicLong();
    private final AtomicBoolean nudgeRunning = new AtomicBoolean();
    private final AtomicBoolean nudgeAgain = new AtomicBoolean();

    public OutboxRelay(BrokerPublisher publisher, OutboxConfig config, MeterRegistry registry, Vertx vertx) {
        this.publisher = publisher;
        this.config = config;
        this.vertx = vertx;
        this.publishFailures = registry.counter("sansam.outbox.publish.failures");
        registry.gauge("sansam.outbox.lag.seconds", oldestUnsentAgeSeconds);
    }

    /** The safety net: catches whatever no nudge published (crash between commit and nudge, failed publish). */
    @Scheduled(every = "${sansam.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
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
        return drain().eventually(() -> {
            nudgeRunning.set(false);
            if (nudgeAgain.get()) {
                nudge();
            }
        });
    }

    /** Publishes batches until the backlog is empty. */
    public Uni<Void> drain() {
        return relayBatch()
                .repeat().whilst(claimed -> claimed > 0) // until nothing is left to claim
                .collect().last()
                .onFailure().invoke(e -> LOG.warn("Outbox relay round failed", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Claims one batch and publishes it; answers how many rows were claimed. */
    public Uni<Integer> relayBatch() {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery(CLAIM, OutboxMessage.class)
                .setParameter("batch", config.batchSize())
                .getResultList()
                .call(this::publishInWaves)
                .map(List::size)));
    }

    /**
     * Publishes the rows pipelined, in waves that hold at most one row per aggregate: a row is only sent once its
     * aggregate's previous row was confirmed, so a failure never lets a later row of that aggregate overtake it.
     */
    private Uni<Void> publishInWaves(List<OutboxMessage> rows) {
        java.util.Map<String, java.util.ArrayDeque<OutboxMessage>> byAggregate = new java.util.LinkedHashMap<>();
        for (OutboxMessage row : rows) {
            byAggregate.computeIfAbsent(row.aggregateType + "/" + row.aggregateId, key -> new java.util.ArrayDeque<>()).add(row);
        }
        return publishWave(byAggregate);
    }

    private Uni<Void> publishWave(java.util.Map<String, java.util.ArrayDeque<OutboxMessage>> byAggregate) {
        List<OutboxMessage> wave = byAggregate.values().stream().map(java.util.ArrayDeque::poll).toList();
        if (wave.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return publish(wave).chain(() -> {
            for (OutboxMessage row : wave) {
                if (row.sentAt == null) { // its aggregate's later rows stay unsent, behind it
                    byAggregate.remove(row.aggregateType + "/" + row.aggregateId);
                }
            }
            byAggregate.values().removeIf(java.util.ArrayDeque::isEmpty);
            return publishWave(byAggregate);
        });
    }

    /** Publishes the rows at once and waits for every confirm; marks each row sent or failed. */
    private Uni<Void> publish(List<OutboxMessage> rows) {
        List<BrokerPublisher.Outgoing> messages = rows.stream().map(row -> new BrokerPublisher.Outgoing(
                row.exchange, row.routingKey, row.messageId.toString(), row.aggregateId, row.body)).toList();
        // The publish blocks on the socket and the confirms arrive on the broker client's thread: come back to
        // this transaction's context before touching the rows.
        io.vertx.core.Context context = Vertx.currentContext();
        return Uni.createFrom().<List<CompletableFuture<Void>>>item(() -> publisher.publish(messages))
                .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .chain(results -> Uni.createFrom().completionStage(CompletableFuture.allOf(results.stream()
                                .map(result -> result.handle((ok, failure) -> null)).toArray(CompletableFuture[]::new)))
                        .ifNoItem().after(config.confirmTimeout()).recoverWithItem((Void) null)
                        .replaceWith(results))
                .emitOn(task -> context.runOnContext(ignored -> task.run()))
                .invoke(results -> {
                    Instant now = Instant.now();
                    int failures = 0;
                    for (int i = 0; i < rows.size(); i++) {
                        OutboxMessage row = rows.get(i);
                        CompletableFuture<Void> result = results.get(i);
                        Throwable failure = result.isDone() ? result.handle((ok, e) -> e).join()
                                : new java.util.concurrent.TimeoutException("No confirm within " + config.confirmTimeout());
                        if (failure == null) {
                            row.sentAt = now;
                            row.attempts++;
                            row.lastError = null;
                        } else {
                            failed(row, failure);
                            if (failures++ == 0) {
                                LOG.warnf("Publishing outbox message %s failed (attempt %d), next try at %s: %s",
                                        row.messageId, row.attempts, row.nextAttemptAt, failure);
                            }
                        }
                    }
                    if (failures > 1) {
                        LOG.warnf("%d of %d outbox messages were not published; they are retried with backoff", failures, rows.size());
                    }
                })
                .replaceWithVoid();
    }

    private void failed(OutboxMessage row, Throwable failure) {
        row.attempts++;
        row.lastError = String.valueOf(failure);
        long backoff = Math.min(config.maxBackoff().toMillis(),
                config.initialBackoff().toMillis() * (1L << Math.min(row.attempts - 1, 20)));
        row.nextAttemptAt = Instant.now().plus(Duration.ofMillis(backoff));
        publishFailures.increment();
    }

    private Uni<Void> measureLag() {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session
                        .createNativeQuery("select coalesce(extract(epoch from now() - min(created_at)), 0) from outbox where sent_at is null",
                                Double.class)
                        .getSingleResult()))
                .invoke(age -> oldestUnsentAgeSeconds.set(age == null ? 0 : age.longValue()))
                .replaceWithVoid();
    }
}
