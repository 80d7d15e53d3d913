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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Each waiting buyer's place, live (SSE). Per interval each replica reads a watched queue's shared state, then in one
 * statement the rows of the watchers whose row may have changed since it last read them (those just let in, pass
 * holders, the pre-queue at the shuffle, buyers new to the stream: {@link WaitingRoom#unchanged}; a buyer far back
 * keeps their place until let in), and sends each buyer their place when it changed. A buyer who reconnects keeps the
 * place: it is in the database, not in the stream.
 */
@ApplicationScoped
public class QueueStream {

    private static final Logger LOG = Logger.getLogger(QueueStream.class);

    /** What a buyer was last sent, and when (System.nanoTime). */
    private record Sent(QueuePlace place, long at) {}

    /** The buyers watching one deal's queue, what each was last sent, and who has been sent nothing yet. */
    private static final class Feed {
        final Map<Long, Set<MultiEmitter<? super QueuePlace>>> watchers = new ConcurrentHashMap<>();
        final Map<Long, Sent> last = new ConcurrentHashMap<>();
        /** Each watcher's row as last read (kept while it cannot have changed). */
        final Map<Long, WaitingRoom.Spot> spots = new ConcurrentHashMap<>();

        final Set<Long> fresh = ConcurrentHashMap.newKeySet();
        final AtomicBoolean reading = new AtomicBoolean();
        volatile boolean again;
    }

    /**
     * A new state (your turn, sold out …) is sent at once. A new position is news only when the number of buyers ahead
     * moved by a tenth (at least one) since the buyer last heard it, and then at most once a second: a buyer far back
     * hears the queue move in steps of a tenth (a tenth of the wait), the first few hear every step, and while a drop's
     * few units are bought the thousands behind them, whose place hardly moved, are not sent an event each. Other
     * differences (how many wait in all) ride along or are sent at most every 10 s.
     */
    private static final long POSITION_EVERY_NANOS = Duration.ofSeconds(1).toNanos();

    private static final long DRIFT_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

    private final Vertx vertx;
    private final WaitingRoom room;
    private final QueueAdmission admission;
    private final DealClock clock;
    private final DealConfig config;
    private final Map<Long, Feed> feeds = new ConcurrentHashMap<>();
    private long timer = -1;

    public QueueStream(Vertx vertx, WaitingRoom room, QueueAdmission admission, DealClock clock, DealConfig config) {
        this.vertx = vertx;
        this.room = room;
        this.admission = admission;
        this.clock = clock;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        admission.onAdmitted(this::letIn);
        timer = vertx.setPeriodic(
                config.queueStreamInterval().toMillis(), id -> feeds.keySet().forEach(this::read));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        feeds.values().forEach(feed -> feed.watchers.values().forEach(set -> set.forEach(MultiEmitter::complete)));
    }

    /**
     * The buyer's place, first at the feed's next read (started at once: opening a stream costs no query of its own,
     * so thousands of buyers opening theirs at the start share a few reads), then at every change, with a keep-alive
     * every 25 s. The gate ({@code DealStreamGate}) has answered 404 already when the deal has no waiting room.
     */
    public Multi<QueuePlace> open(long userId, long dealId) {
        Multi<QueuePlace> places = Multi.createFrom().emitter(emitter -> {
            Feed feed = feeds.computeIfAbsent(dealId, id -> new Feed());
            feed.watchers
                    .computeIfAbsent(userId, id -> ConcurrentHashMap.newKeySet())
                    .add(emitter);
            feed.fresh.add(userId);
            emitter.onTermination(() -> feeds.computeIfPresent(dealId, (id, current) -> {
                current.watchers.computeIfPresent(userId, (user, set) -> {
                    set.remove(emitter);
                    return set.isEmpty() ? null : set;
                });
                if (!current.watchers.containsKey(userId)) {
                    current.last.remove(userId);
                    current.spots.remove(userId);
                }
                return current.watchers.isEmpty() ? null : current;
            }));
            read(dealId);
        });
        Multi<QueuePlace> keepAlive = Multi.createFrom()
                .ticks()
                .every(Duration.ofSeconds(25))
                .select()
                .where(tick -> lastSent(dealId, userId) != null)
                .map(tick -> lastSent(dealId, userId));
        return Multi.createBy().merging().streams(places, keepAlive);
    }

    private QueuePlace lastSent(long dealId, long userId) {
        Feed feed = feeds.get(dealId);
        Sent last = feed == null ? null : feed.last.get(userId);
        return last == null ? null : last.place();
    }

    private void read(long dealId) {
        read(dealId, null);
    }

    /**
     * The waiting room let in places {@code after + 1 .. upTo}: the buyers watching from those places are read (a few
     * rows, not every watcher's) and hear "your turn" now. When a read is under way, the next full read tells them.
     */
    private void letIn(long dealId, int after, int upTo) {
        Feed feed = feeds.get(dealId);
        if (feed == null) {
            return;
        }
        List<Long> users = new ArrayList<>();
        feed.last.forEach((userId, sent) -> {
            Integer place = sent.place().place();
            if (place != null && place > after && place <= upTo) {
                users.add(userId);
            }
        });
        if (!users.isEmpty()) {
            read(dealId, users);
        }
    }

    /** Reads the queue for these watchers (null: all of them) and sends what changed; one read at a time per feed. */
    private void read(long dealId, List<Long> only) {
        Feed feed = feeds.get(dealId);
        if (feed == null) {
            return;
        }
        if (!feed.reading.compareAndSet(false, true)) {
            feed.again = true; // one more (full) read once this one is done, however many asked meanwhile
            return;
        }
        List<Long> users = only == null ? new ArrayList<>(feed.watchers.keySet()) : only;
        room.snapshot(dealId)
                .chain(snapshot -> {
                    if (snapshot == null) {
                        return Uni.createFrom().voidItem();
                    }
                    List<Long> stale = users.stream()
                            .filter(user -> only != null
                                    || feed.fresh.contains(user)
                                    || !WaitingRoom.unchanged(feed.spots.get(user), snapshot))
                            .toList();
                    Uni<Map<Long, WaitingRoom.Spot>> read =
                            stale.isEmpty() ? Uni.createFrom().item(Map.of()) : room.places(dealId, stale);
                    return read.invoke(rows -> {
                                stale.forEach(user -> {
                                    WaitingRoom.Spot spot = rows.get(user);
                                    if (spot == null) {
                                        feed.spots.remove(user);
                                    } else if (feed.watchers.containsKey(user)) {
                                        feed.spots.put(user, spot);
                                    }
                                });
                                send(feed, snapshot, feed.spots, users);
                            })
                            .replaceWithVoid();
                })
                .subscribe()
                .with(ignored -> done(dealId, feed), failure -> {
                    LOG.debugf("Reading deal %d's queue for its streams failed: %s", dealId, failure.toString());
                    done(dealId, feed);
                });
    }

    private void send(Feed feed, WaitingRoom.Snapshot snapshot, Map<Long, WaitingRoom.Spot> rows, List<Long> users) {
        long nanos = System.nanoTime();
        for (Long userId : users) {
            Set<MultiEmitter<? super QueuePlace>> emitters = feed.watchers.get(userId);
            if (emitters == null) {
                continue; // gone since
            }
            QueuePlace now = WaitingRoom.view(snapshot, rows.get(userId), clock.now());
            Sent last = feed.last.get(userId);
            boolean fresh = feed.fresh.remove(userId);
            boolean changed =
                    last == null || fresh || !now.state().equals(last.place().state());
            if (changed || news(last.place(), now, nanos - last.at())) {
                // a buyer's first place is dated up to a second back, at random: thousands who heard their place in
                // the same read hear their next positions spread over the second, not all in one read
                long at = last == null ? nanos - ThreadLocalRandom.current().nextLong(POSITION_EVERY_NANOS) : nanos;
                feed.last.put(userId, new Sent(now, at));
                emitters.forEach(emitter -> emitter.emit(now));
            }
        }
    }

    /**
     * Whether {@code now} (in the same state as {@code last}, sent {@code sinceNanos} ago) is worth an event: the
     * number ahead moved by a tenth of what it was (at least one) and a second has passed, or anything differs and
     * 10 s have passed.
     */
    static boolean news(QueuePlace last, QueuePlace now, long sinceNanos) {
        if (now.equals(last) || sinceNanos < POSITION_EVERY_NANOS) {
            return false;
        }
        if (sinceNanos >= DRIFT_EVERY_NANOS || last.ahead() == null || now.ahead() == null) {
            return true;
        }
        return Math.abs(last.ahead() - now.ahead()) >= Math.max(1, last.ahead() / 10);
    }

    private void done(long dealId, Feed feed) {
        feed.reading.set(false);
        if (feed.again) {
            feed.again = false;
            read(dealId);
        }
    }
}
