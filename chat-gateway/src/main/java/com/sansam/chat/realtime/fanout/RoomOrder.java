package com.sansam.chat.realtime.fanout;

import com.sansam.chat.config.ChatConfig;
import com.sansam.chat.realtime.hub.ChatHub;
import com.sansam.chat.room.model.RoomEvent;
import com.sansam.chat.room.service.MessageService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Hands each room's messages to {@link ChatHub} in the room's commit order, whichever replica sent them.
 * <p>
 * Each replica publishes the messages it stored, in order; two replicas storing messages of one room publish
 * independently, so here one may arrive before an earlier one. A message names the room's message before it
 * ({@link RoomEvent#previousId()}): when that is the last one delivered it goes on at once, else it is held until
 * the missing one arrives, for at most {@code sansam.chat.order-wait}; then the missing messages are read from
 * PostgreSQL (they are committed: a send commits before it publishes, and a room's sends commit in order) and
 * delivered first. So a fan-out that came late costs a short wait, and one that never came (a Redis hiccup, a
 * replica that died between commit and publish) is filled in from the database instead of being missed.
 * <p>
 * The first message a replica sees of a room starts its chain; a message older than the last delivered (an
 * overtaken one seen only after the wait gave up) is delivered when it comes. Deliveries of a room happen one at a
 * time, in order, whichever thread completes them. One small entry per room seen; a room quiet for ten minutes
 * with nothing held is forgotten (its next message starts a new chain).
 */
@ApplicationScoped
public class RoomOrder {

    private static final Logger LOG = Logger.getLogger(RoomOrder.class);

    /** Reads the room's messages strictly between two ids, oldest first. */
    interface Gaps {
        Uni<List<RoomEvent>> between(long roomId, long afterId, long beforeId);
    }

    private final Map<Long, Chain> chains = new ConcurrentHashMap<>();
    private final Consumer<RoomEvent> deliver;
    private final Gaps gaps;
    private final Vertx vertx;
    private final long waitMs;
    private final long idleNanos;

    @Inject
    public RoomOrder(ChatHub hub, MessageService messages, Vertx vertx, ChatConfig config) {
        this(hub::deliver, messages::between, vertx, config.orderWait(), Duration.ofMinutes(10));
    }

    RoomOrder(Consumer<RoomEvent> deliver, Gaps gaps, Vertx vertx, Duration wait, Duration idle) {
        this.deliver = deliver;
        this.gaps = gaps;
        this.vertx = vertx;
        this.waitMs = Math.max(1, wait.toMillis());
        this.idleNanos = idle.toNanos();
    }

    /** A message from the fan-out. */
    public void arrived(RoomEvent message) {
        chains.computeIfAbsent(message.roomId(), Chain::new).arrived(message);
    }

    /** Forgets the rooms quiet for a while with nothing held. */
    @Scheduled(every = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetQuietRooms() {
        long before = System.nanoTime() - idleNanos;
        chains.values().removeIf(chain -> chain.quietSince(before));
    }

    /** Rooms with a chain (for tests). */
    int rooms() {
        return chains.size();
    }

    private final class Chain {
        private final long roomId;
        /** The last message delivered in chain order; -1 before the first. */
        private long last = -1;
        /** Messages waiting for their predecessor, by the id of that predecessor. */
        private final TreeMap<Long, RoomEvent> held = new TreeMap<>();

        private long timer = -1;
        private boolean reading;
        private volatile long seenAt = System.nanoTime();

        Chain(long roomId) {
            this.roomId = roomId;
        }

        synchronized void arrived(RoomEvent message) {
            seenAt = System.nanoTime();
            long previous = message.previousId();
            if (last < 0 || previous == 0 || message.messageId() <= last || previous <= last) {
                // the chain's start, a sender that does not name the previous one, or one that the wait gave up on
                pass(message);
            } else {
                held.put(previous, message);
                if (timer < 0 && !reading) {
                    timer = vertx.setTimer(waitMs, id -> waited());
                }
                return;
            }
            release();
        }

        synchronized boolean quietSince(long nanos) {
            return held.isEmpty() && !reading && seenAt - nanos < 0;
        }

        /** Delivers every held message whose predecessor is now the last delivered. */
        private void release() {
            RoomEvent next;
            while ((next = held.remove(last)) != null) {
                pass(next);
            }
            if (held.isEmpty() && timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }

        private void pass(RoomEvent message) {
            deliver.accept(message);
            last = Math.max(last, message.messageId());
        }

        private synchronized void waited() {
            timer = -1;
            if (held.isEmpty() || reading) {
                return;
            }
            reading = true;
            long after = last;
            long before = held.firstEntry().getValue().messageId();
            gaps.between(roomId, after, before).subscribe().with(this::filled, failure -> {
                LOG.warnf(
                        "Messages of room %d between %d and %d could not be read: %s", roomId, after, before, failure);
                filled(List.of());
            });
        }

        private synchronized void filled(List<RoomEvent> missing) {
            reading = false;
            for (RoomEvent message : missing) {
                if (message.messageId() > last) {
                    pass(message);
                }
            }
            release();
            if (!held.isEmpty() && !held.containsKey(last)) {
                // the gap stays (its messages were deleted meanwhile, or the read failed): go on with the oldest held
                Map.Entry<Long, RoomEvent> oldest = held.pollFirstEntry();
                pass(oldest.getValue());
                release();
            }
            if (!held.isEmpty() && timer < 0) {
                timer = vertx.setTimer(waitMs, id -> waited());
            }
        }
    }
}
