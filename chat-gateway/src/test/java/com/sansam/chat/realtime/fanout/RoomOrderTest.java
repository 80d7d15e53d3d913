package com.sansam.chat.realtime.fanout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sansam.chat.room.model.RoomEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The rules of {@link RoomOrder}, with a real Vert.x timer and a stand-in for the database read. */
class RoomOrderTest {

    private static final Vertx VERTX = Vertx.vertx();

    @AfterAll
    static void close() {
        VERTX.close();
    }

    private final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger reads = new AtomicInteger();

    /** Holds for 100 ms before reading the database. */
    private RoomOrder order(RoomOrder.Gaps gaps) {
        return order(gaps, Duration.ofMillis(100));
    }

    private RoomOrder order(RoomOrder.Gaps gaps, Duration wait) {
        return new RoomOrder(event -> delivered.add(event.messageId()), gaps, VERTX, wait, Duration.ofMinutes(10));
    }

    private static RoomEvent message(long id, long previous) {
        return RoomEvent.message(7, 1, id, "n", "m" + id, Instant.now(), null, previous);
    }

    private final RoomOrder.Gaps noReads = (room, after, before) -> {
        reads.incrementAndGet();
        return Uni.createFrom().item(List.of());
    };

    @Test
    void messagesInChainOrderGoOnAtOnce() {
        RoomOrder order = order(noReads);
        order.arrived(message(10, 4));
        order.arrived(message(11, 10));
        order.arrived(message(15, 11));
        assertEquals(List.of(10L, 11L, 15L), delivered);
    }

    @Test
    void aMessageThatOvertookAnEarlierOneWaitsForIt() {
        RoomOrder order = order(noReads, Duration.ofSeconds(30)); // a slow test machine must not end the wait
        order.arrived(message(10, 4));
        order.arrived(message(13, 12)); // 12 was sent through another replica and is not here yet
        order.arrived(message(14, 13));
        assertEquals(List.of(10L), delivered);
        order.arrived(message(12, 10));
        assertEquals(List.of(10L, 12L, 13L, 14L), delivered);
        assertEquals(0, reads.get()); // nothing was read: 12 ended the wait
    }

    @Test
    void aMessageThatNeverArrivesIsReadFromTheDatabase() {
        List<long[]> asked = Collections.synchronizedList(new ArrayList<>());
        RoomOrder order = order((room, after, before) -> {
            asked.add(new long[] {room, after, before});
            return Uni.createFrom().item(List.of(message(11, 10), message(12, 11)));
        });
        order.arrived(message(10, 4));
        order.arrived(message(13, 12)); // the fan-out of 11 and 12 was lost
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 4);
        assertEquals(List.of(10L, 11L, 12L, 13L), delivered);
        assertEquals(1, asked.size());
        assertEquals(List.of(7L, 10L, 13L), List.of(asked.get(0)[0], asked.get(0)[1], asked.get(0)[2]));
        // the late fan-out of 12 is delivered again only if it was never delivered: it was, but it is older than the
        // last one, so it passes (the client keeps one copy per id)
        order.arrived(message(14, 13));
        assertEquals(List.of(10L, 11L, 12L, 13L, 14L), delivered);
    }

    @Test
    void whenTheDatabaseCannotSayTheHeldMessagesGoOnInOrder() {
        RoomOrder order =
                order((room, after, before) -> Uni.createFrom().failure(new IllegalStateException("database down")));
        order.arrived(message(10, 4));
        order.arrived(message(14, 13));
        order.arrived(message(13, 12));
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 3);
        assertEquals(List.of(10L, 13L, 14L), delivered);
    }

    @Test
    void aQuietRoomIsForgottenButNotOneWithAHeldMessage() {
        RoomOrder order = new RoomOrder(
                event -> delivered.add(event.messageId()),
                noReads,
                VERTX,
                Duration.ofSeconds(30),
                Duration.ofMillis(50));
        order.arrived(message(10, 4));
        order.arrived(RoomEvent.message(8, 1, 32, "n", "m", Instant.now(), null, 30)); // room 8: starts its chain
        order.arrived(RoomEvent.message(8, 1, 34, "n", "m", Instant.now(), null, 33)); // held: 33 is missing
        await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(10)).until(() -> {
            order.forgetQuietRooms();
            return order.rooms() == 1; // room 7 went, room 8 holds 34
        });
        // room 7 starts again with whatever comes next
        order.arrived(message(40, 39));
        assertEquals(List.of(10L, 32L, 40L), delivered);
    }

    @Test
    void eventsOfAnOlderReplicaWithoutThePreviousIdAreNotHeld() {
        RoomOrder order = order(noReads);
        order.arrived(message(10, 4));
        order.arrived(message(20, 0));
        order.arrived(message(15, 0));
        assertEquals(List.of(10L, 20L, 15L), delivered);
    }
}
