package com.sansam.commerce.deal.service;

import com.sansam.commerce.deal.config.DealConfig;
import com.sansam.commerce.deal.model.DealDtos.QueuePlace;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Each waiting buyer's place, live (SSE). Per interval each replica reads a watched queue twice however many buyers
 * watch it (the shared state, then the watchers' rows in one statement) and sends each buyer their place when it
 * changed. A buyer who reconnects keeps the place: it is in the database, not in the stream.
 */
@ApplicationScoped
public class QueueStream {

    private static final Logger LOG = Logger.getLogger(QueueStream.class);

    /** The buyers watching one deal's queue, and what each was last sent. */
    private static final class Feed {
        final Map<Long, Set<MultiEmitter<? super QueuePlace>>> watchers = new ConcurrentHashMap<>();
        final Map<Long, QueuePlace> last = new ConcurrentHashMap<>();
        final AtomicBoolean reading = new AtomicBoolean();
    }

    private final Vertx vertx;
    private final WaitingRoom room;
    private final DealClock clock;
    private final DealConfig config;
    private final Map<Long, Feed> feeds = new ConcurrentHashMap<>();
    private long timer = -1;

    public QueueStream(Vertx vertx, WaitingRoom room, DealClock clock, DealConfig config) {
        this.vertx = vertx;
        this.room = room;
        this.clock = clock;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(
                config.queueStreamInterval().toMillis(), id -> feeds.keySet().forEach(this::read));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        feeds.values().forEach(feed -> feed.watchers.values().forEach(set -> set.forEach(MultiEmitter::complete)));
    }

    /** The buyer's place now, then at every change, with a keep-alive every 25 s; 404 when there is no such queue. */
    public Uni<Multi<QueuePlace>> open(long userId, long dealId) {
        return room.place(userId, dealId).map(now -> {
            Multi<QueuePlace> places = Multi.createFrom().emitter(emitter -> {
                Feed feed = feeds.computeIfAbsent(dealId, id -> new Feed());
                feed.watchers
                        .computeIfAbsent(userId, id -> ConcurrentHashMap.newKeySet())
                        .add(emitter);
                feed.last.putIfAbsent(userId, now);
                emitter.onTermination(() -> feeds.computeIfPresent(dealId, (id, current) -> {
                    current.watchers.computeIfPresent(userId, (user, set) -> {
                        set.remove(emitter);
                        return set.isEmpty() ? null : set;
                    });
                    if (!current.watchers.containsKey(userId)) {
                        current.last.remove(userId);
                    }
                    return current.watchers.isEmpty() ? null : current;
                }));
                emitter.emit(now);
            });
            Multi<QueuePlace> keepAlive = Multi.createFrom()
                    .ticks()
                    .every(Duration.ofSeconds(25))
                    .map(tick -> {
                        Feed feed = feeds.get(dealId);
                        QueuePlace last = feed == null ? null : feed.last.get(userId);
                        return last == null ? now : last;
                    });
            return Multi.createBy().merging().streams(places, keepAlive);
        });
    }

    private void read(long dealId) {
        Feed feed = feeds.get(dealId);
        if (feed == null || !feed.reading.compareAndSet(false, true)) {
            return;
        }
        room.snapshot(dealId)
                .chain(snapshot -> snapshot == null
                        ? Uni.createFrom().voidItem()
                        : room.places(dealId, new ArrayList<>(feed.watchers.keySet()))
                                .invoke(rows -> feed.watchers.forEach((userId, emitters) -> {
                                    QueuePlace now = WaitingRoom.view(snapshot, rows.get(userId), clock.now());
                                    if (!now.equals(feed.last.put(userId, now))) {
                                        emitters.forEach(emitter -> emitter.emit(now));
                                    }
                                }))
                                .replaceWithVoid())
                .subscribe()
                .with(ignored -> feed.reading.set(false), failure -> {
                    feed.reading.set(false);
                    LOG.debugf("Reading deal %d's queue for its streams failed: %s", dealId, failure.toString());
                });
    }
}
