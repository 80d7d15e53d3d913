package com.sansam.contracts.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
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

    private final OutboxChannels channels;
    private final OutboxConfig config;
    private final Vertx vertx;
    private final AtomicLong oldestUnsentAgeSeconds = new AtomicLong();
    private final AtomicBoolean nudgeRunning = new AtomicBoolean();
    private final AtomicBoolean nudgeAgain = new AtomicBoolean();

    public OutboxRelay(OutboxChannels channels, OutboxConfig config, MeterRegistry registry, Vertx vertx) {
        this.channels = channels;
        this.config = config;
        this.vertx = vertx;
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
                .call(rows -> {
                    java.util.Set<String> failedAggregates = new java.util.HashSet<>();
                    return Multi.createFrom().iterable(rows)
                            .onItem().transformToUniAndConcatenate(row -> {
                                String aggregate = row.aggregateType + "/" + row.aggregateId;
                                if (failedAggregates.contains(aggregate)) {
                                    return Uni.createFrom().voidItem(); // stays unsent, after its failed predecessor
                                }
                                return publish(row).invoke(() -> {
                                    if (row.sentAt == null) {
                                        failedAggregates.add(aggregate);
                                    }
                                });
                            })
                            .collect().asList();
                })
                .map(List::size)));
    }

    private Uni<Void> publish(OutboxMessage row) {
        MutinyEmitter<String> emitter = channels.emitterFor(row.exchange);
        if (emitter == null) {
            failed(row, new IllegalStateException("No channel publishes to exchange " + row.exchange));
            return Uni.createFrom().voidItem();
        }
        OutgoingRabbitMQMetadata metadata = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(row.routingKey)
                .withMessageId(row.messageId.toString())
                .withType(row.routingKey)
                .withContentType("application/json")
                .withDeliveryMode(2) // persistent
                .withHeader("x-aggregate-id", row.aggregateId)
                .build();
        // The confirm arrives on the broker client's thread: come back to this transaction's context.
        io.vertx.core.Context context = Vertx.currentContext();
        return Uni.createFrom().<Void>emitter(done -> emitter.sendMessageAndForget(Message.of(row.body, Metadata.of(metadata),
                        () -> {
                            done.complete(null);
                            return CompletableFuture.completedFuture(null);
                        },
                        failure -> {
                            done.fail(failure);
                            return CompletableFuture.completedFuture(null);
                        })))
                .ifNoItem().after(config.confirmTimeout()).fail()
                .emitOn(task -> context.runOnContext(ignored -> task.run()))
                .onItem().invoke(() -> {
                    row.sentAt = Instant.now();
                    row.attempts++;
                    row.lastError = null;
                })
                .onFailure().recoverWithItem(failure -> {
                    failed(row, failure);
                    return null;
                });
    }

    private void failed(OutboxMessage row, Throwable failure) {
        row.attempts++;
        row.lastError = String.valueOf(failure);
        long backoff = Math.min(config.maxBackoff().toMillis(),
                config.initialBackoff().toMillis() * (1L << Math.min(row.attempts - 1, 20)));
        row.nextAttemptAt = Instant.now().plus(Duration.ofMillis(backoff));
        LOG.warnf("Publishing outbox message %s failed (attempt %d), next try in %d ms: %s",
                row.messageId, row.attempts, backoff, failure);
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
