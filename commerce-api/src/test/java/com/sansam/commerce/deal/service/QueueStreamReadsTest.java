package com.sansam.commerce.deal.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which watchers' rows a queue's stream reads again: only those that may have changed since the last read. */
class QueueStreamReadsTest {

    private static final Instant T = Instant.parse("2026-12-06T03:00:00Z");

    private static WaitingRoom.Snapshot snapshot(boolean shuffled, int admitted) {
        return new WaitingRoom.Snapshot(1, "OPEN", T, T.plusSeconds(3600), 200, shuffled, 5000, admitted, 0, 50);
    }

    @Test
    void aRowNeverReadOrNotJoinedIsRead() {
        assertTrue(QueueStream.mayChange(null, snapshot(true, 10), T));
    }

    @Test
    void aPreQueueRowIsReadAgainOnlyFromTheStart() {
        WaitingRoom.Spot prequeue = new WaitingRoom.Spot(null, null, null, null);
        assertFalse(QueueStream.mayChange(prequeue, snapshot(false, 0), T.minusSeconds(1)));
        assertTrue(QueueStream.mayChange(prequeue, snapshot(false, 0), T), "from the start: the shuffle is due");
        assertTrue(QueueStream.mayChange(prequeue, snapshot(true, 0), T.plusSeconds(1)));
    }

    @Test
    void aPlaceBeyondThoseLetInIsAsItWasAndOneLetInIsReadUntilItsPassIsUsed() {
        WaitingRoom.Spot waiting = new WaitingRoom.Spot(120, null, null, null);
        assertFalse(QueueStream.mayChange(waiting, snapshot(true, 119), T));
        assertTrue(QueueStream.mayChange(waiting, snapshot(true, 120), T));
        WaitingRoom.Spot admitted = new WaitingRoom.Spot(120, T, T.plusSeconds(120), null);
        assertTrue(QueueStream.mayChange(admitted, snapshot(true, 140), T));
        WaitingRoom.Spot ordered = new WaitingRoom.Spot(120, T, T.plusSeconds(120), T.plusSeconds(30));
        assertFalse(QueueStream.mayChange(ordered, snapshot(true, 140), T));
    }
}
