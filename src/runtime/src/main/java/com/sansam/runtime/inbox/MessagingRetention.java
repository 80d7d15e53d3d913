package com.sansam.runtime.inbox;

import com.sansam.runtime.outbox.OutboxConfig;
import com.sansam.runtime.outbox.SafeContexts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Keeps the messaging tables from growing forever: sent outbox rows older than {@code sansam.outbox.retention}
 * and inbox ids older than {@code sansam.inbox.retention} (far longer than any redelivery, so a late duplicate is
 * still recognised) are deleted in chunks. {@code sansam_messaging_table_rows{table}} shows each table's size.
 */
@ApplicationScoped
public class MessagingRetention {

    private static final Logger LOG = Logger.getLogger(MessagingRetention.class);
    private static final int CHUNK = 5_000;
    private static final List<String> TABLES = List.of("outbox", "inbox", "dead_letter");

    private final OutboxConfig outbox;
    private final InboxConfig inbox;
    private final Vertx vertx;
    private final Map<String, AtomicLong> rows = new ConcurrentHashMap<>();

    public MessagingRetention(OutboxConfig outbox, InboxConfig inbox, Vertx vertx, MeterRegistry registry) {
        this.outbox = outbox;
        this.inbox = inbox;
        this.vertx = vertx;
        for (String table : TABLES) {
            AtomicLong count = rows.computeIfAbsent(table, name -> new AtomicLong());
            Gauge.builder("sansam.messaging.table.rows", count, AtomicLong::get)
                    .tag("table", table)
                    .register(registry);
        }
    }

    @Scheduled(
            every = "${sansam.messaging.prune-every:10m}",
            delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return prune().onFailure()
                .invoke(e -> LOG.warnf("Pruning the messaging tables failed: %s", e.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Deletes what is past its retention; answers how many rows went. Callable from any thread. */
    public Uni<Long> prune() {
        Instant now = Instant.now();
        return SafeContexts.onSafeContext(
                vertx,
                () -> deleteAll("""
                        delete from outbox where id in (
                            select id from outbox where sent_at < :before order by sent_at limit :chunk)""", now.minus(outbox.retention()))
                        .chain(sent ->
                                deleteAll("""
                                delete from inbox where (message_id, consumer) in (
                                    select message_id, consumer from inbox where processed_at < :before limit :chunk)""", now.minus(inbox.retention())).map(ids -> sent + ids))
                        .call(this::measure));
    }

    /** Repeats the chunked delete until a chunk comes back short. */
    private Uni<Long> deleteAll(String delete, Instant before) {
        return Uni.createFrom()
                .deferred(() -> Panache.withTransaction(() -> Panache.getSession()
                        .chain(session -> session.createNativeQuery(delete)
                                .setParameter("before", before)
                                .setParameter("chunk", CHUNK)
                                .executeUpdate())))
                .repeat()
                .whilst(deleted -> deleted == CHUNK) // the short chunk ends it (and is counted)
                .collect()
                .in(AtomicLong::new, (total, deleted) -> total.addAndGet(deleted))
                .map(AtomicLong::get);
    }

    private Uni<Void> measure(long deleted) {
        if (deleted > 0) {
            LOG.infof("Pruned %d messaging rows past their retention", deleted);
        }
        return Panache.withSession(() -> Panache.getSession()
                        .chain(session -> session.createNativeQuery(
                                        "select relname, n_live_tup from pg_stat_user_tables where relname in (:tables)",
                                        Object[].class)
                                .setParameter("tables", TABLES)
                                .getResultList()))
                .invoke(result ->
                        result.forEach(row -> rows.get((String) row[0]).set(((Number) row[1]).longValue())))
                .replaceWithVoid();
    }
}
