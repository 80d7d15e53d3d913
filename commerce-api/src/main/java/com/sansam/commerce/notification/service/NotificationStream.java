package com.sansam.commerce.notification.service;

import com.sansam.commerce.notification.model.NotificationDtos.StreamEvent;
import com.sansam.runtime.db.MessagingPool;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Live notices for every open tab of a user, on whichever replica holds the stream. {@link Notifier} announces
 * new notices with PostgreSQL's {@code NOTIFY} on {@link #CHANNEL} inside the transaction that makes them (payload: the
 * user id, {@code *} for everyone), so the announcement comes exactly when they commit; every replica LISTENs on
 * its own connection and then reads, for each stream it holds for that user, the notices newer than the last one
 * that stream got. A lost announcement (the LISTEN connection dropped) only delays delivery: after reconnecting,
 * every stream catches up.
 */
@ApplicationScoped
public class NotificationStream {

    private static final Logger LOG = Logger.getLogger(NotificationStream.class);
    /** The PostgreSQL notification channel (per database, so tests and local runs never hear each other). */
    public static final String CHANNEL = "sansam_notices";
    /** The payload announcing notices for everyone. */
    public static final String EVERYONE = "*";

    private final Map<Long, Set<Listener>> listeners = new ConcurrentHashMap<>();
    private final Pool pool;
    private final PgSubscriber subscriber;

    public NotificationStream(Vertx vertx, Pool pool, MessagingPool database) {
        this.pool = pool;
        this.subscriber = PgSubscriber.subscriber(vertx, database.connectOptions())
                .reconnectPolicy(attempt -> Math.min(5_000L, 200L * (attempt + 1))); // keeps trying, never gives up
    }

    void start(@Observes StartupEvent event) {
        subscriber
                .channel(CHANNEL)
                .subscribeHandler(
                        () -> { // (re)subscribed: whatever was announced meanwhile is caught up now
                            LOG.debug("Listening for notices");
                            announced(EVERYONE);
                        })
                .handler(this::announced);
        subscriber
                .connect()
                .onFailure()
                .invoke(e -> LOG.warnf("Cannot LISTEN for notices yet (%s); retrying", e.toString()))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .indefinitely()
                .subscribe()
                .with(ok -> {}, e -> LOG.errorf("Live notices stopped: %s", e));
    }

    void stop(@Observes ShutdownEvent event) {
        subscriber.close().subscribe().with(ok -> {}, e -> {});
        listeners.values().forEach(set -> set.forEach(listener -> listener.emitter.complete()));
    }

    /**
     * Tells the user's open streams to catch up now, for changes outside {@link Notifier} (their notices read). Notices
     * themselves need no call: {@link Notifier} announces them when they commit.
     */
    public Uni<Void> signal(long userId) {
        return pool.preparedQuery("select count(*) from (select pg_notify($1, $2)) announced")
                .execute(Tuple.of(CHANNEL, Long.toString(userId)))
                .onFailure()
                .invoke(e -> LOG.debugf("Notice announcement failed: %s", e.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** A user's live stream: the unread count first, then each new notice, with a keep-alive every 25 s. */
    public Multi<StreamEvent> open(long userId) {
        Multi<StreamEvent> events = Multi.createFrom()
                .<StreamEvent>emitter(emitter -> newestId(userId)
                        .subscribe()
                        .with(
                                newest -> {
                                    Listener listener = new Listener(userId, emitter, newest);
                                    listeners
                                            .computeIfAbsent(userId, id -> ConcurrentHashMap.newKeySet())
                                            .add(listener);
                                    emitter.onTermination(() -> listeners.computeIfPresent(userId, (id, set) -> {
                                        set.remove(listener);
                                        return set.isEmpty() ? null : set;
                                    }));
                                    unread(userId)
                                            .subscribe()
                                            .with(
                                                    count -> emitter.emit(new StreamEvent("unread", null, count)),
                                                    emitter::fail);
                                },
                                emitter::fail));
        Multi<StreamEvent> keepAlive =
                Multi.createFrom().ticks().every(Duration.ofSeconds(25)).map(tick -> new StreamEvent("ping", null, -1));
        return Multi.createBy().merging().streams(events, keepAlive);
    }

    private void announced(String target) {
        if (EVERYONE.equals(target)) {
            listeners.values().forEach(set -> set.forEach(this::catchUp));
            return;
        }
        try {
            Set<Listener> set = listeners.get(Long.parseLong(target));
            if (set != null) {
                set.forEach(this::catchUp);
            }
        } catch (NumberFormatException e) {
            LOG.debugf("Ignoring announcement %s", target);
        }
    }

    private void catchUp(Listener listener) {
        long after = listener.lastId;
        pool.preparedQuery("""
                        select id, kind, title, body, link, created_at, read_at is not null as read from notification
                        where user_id = $1 and id > $2 order by id limit 50""")
                .execute(Tuple.of(listener.userId, after))
                .chain(rows -> unread(listener.userId).invoke(count -> {
                    synchronized (listener) {
                        for (Row row : rows) {
                            long id = row.getLong("id");
                            if (id <= listener.lastId) {
                                continue; // a concurrent catch-up already sent it
                            }
                            listener.lastId = id;
                            listener.emitter.emit(new StreamEvent("notice", NotificationService.view(row), count));
                        }
                    }
                }))
                .subscribe()
                .with(ok -> {}, e -> LOG.debugf("Catch-up for user %d failed: %s", listener.userId, e));
    }

    private Uni<Long> newestId(long userId) {
        return pool.preparedQuery("select coalesce(max(id), 0) from notification where user_id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private Uni<Long> unread(long userId) {
        return NotificationService.unreadCount(pool, userId);
    }

    private static final class Listener {
        final long userId;
        final MultiEmitter<? super StreamEvent> emitter;
        volatile long lastId;

        Listener(long userId, MultiEmitter<? super StreamEvent> emitter, long lastId) {
            this.userId = userId;
            this.emitter = emitter;
            this.lastId = lastId;
        }
    }
}
