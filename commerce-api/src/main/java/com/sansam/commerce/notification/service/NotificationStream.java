package com.sansam.commerce.notification.service;

import com.sansam.commerce.notification.config.NotificationConfig;
import com.sansam.commerce.notification.rest.NotificationDtos.StreamEvent;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live notices for every open tab of a user, on whichever replica holds the stream. A committed notice is
 * announced on a Redis pub/sub channel by user id ({@code *} for everyone); each replica then reads, for each
 * stream it holds for that user, the notices newer than the last one that stream got. A lost announcement only
 * delays delivery to the next one.
 */
@ApplicationScoped
public class NotificationStream {

    private static final Logger LOG = Logger.getLogger(NotificationStream.class);
    private static final String EVERYONE = "*";

    private final Map<Long, Set<Listener>> listeners = new ConcurrentHashMap<>();
    private final ReactivePubSubCommands<String> pubsub;
    private final Pool pool;
    private final String channel;
    private volatile Cancellable subscription;

    public NotificationStream(ReactiveRedisDataSource redis, Pool pool, NotificationConfig config) {
        this.pubsub = redis.pubsub(String.class);
        this.pool = pool;
        this.channel = config.streamChannel();
    }

    void start(@Observes StartupEvent event) {
        subscription = pubsub.subscribe(channel)
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely()
                .subscribe().with(this::announced);
    }

    void stop(@Observes ShutdownEvent event) {
        Cancellable current = subscription;
        if (current != null) {
            current.cancel();
        }
        listeners.values().forEach(set -> set.forEach(listener -> listener.emitter.complete()));
    }

    /** Call after the transaction that created notices for the user has committed. */
    public Uni<Void> signal(long userId) {
        return publish(Long.toString(userId));
    }

    public Uni<Void> signalEveryone() {
        return publish(EVERYONE);
    }

    /** A user's live stream: the unread count first, then each new notice, with a keep-alive every 25 s. */
    public Multi<StreamEvent> open(long userId) {
        Multi<StreamEvent> events = Multi.createFrom().<StreamEvent>emitter(emitter -> newestId(userId).subscribe().with(newest -> {
            Listener listener = new Listener(userId, emitter, newest);
            listeners.computeIfAbsent(userId, id -> ConcurrentHashMap.newKeySet()).add(listener);
            emitter.onTermination(() -> listeners.computeIfPresent(userId, (id, set) -> {
                set.remove(listener);
                return set.isEmpty() ? null : set;
            }));
            unread(userId).subscribe().with(count -> emitter.emit(new StreamEvent("unread", null, count)), emitter::fail);
        }, emitter::fail));
        Multi<StreamEvent> keepAlive = Multi.createFrom().ticks().every(Duration.ofSeconds(25))
                .map(tick -> new StreamEvent("ping", null, -1));
        return Multi.createBy().merging().streams(events, keepAlive);
    }

    private Uni<Void> publish(String target) {
        return pubsub.publish(channel, target)
                .onFailure().invoke(e -> LOG.debugf("Notice announcement failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
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
                .subscribe().with(ok -> { }, e -> LOG.debugf("Catch-up for user %d failed: %s", listener.userId, e));
    }

    private Uni<Long> newestId(long userId) {
        return pool.preparedQuery("select coalesce(max(id), 0) from notification where user_id = $1")
                .execute(Tuple.of(userId)).map(rows -> rows.iterator().next().getLong(0));
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
