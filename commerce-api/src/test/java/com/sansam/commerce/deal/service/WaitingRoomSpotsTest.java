package com.sansam.commerce.deal.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which watchers' rows the live queue stream must read again, and which it may keep. */
class WaitingRoomSpotsTest {

    private static WaitingRoom.Snapshot queue(boolean shuffled, int admitted) {
        return new WaitingRoom.Snapshot(1, "ACTIVE", Instant.EPOCH, Instant.MAX, 200, shuffled, 5_000, admitted, 0, 50);
    }

    private static final Instant AT = Instant.parse("2026-12-06T22:00:00Z");

    @Test
    void aWaitingBuyerBehindThoseLetInKeepsTheirRowUntilTheirTurn() {
        WaitingRoom.Spot waiting = new WaitingRoom.Spot(120, null, null, null);
        assertTrue(WaitingRoom.unchanged(waiting, queue(true, 100)));
        assertFalse(WaitingRoom.unchanged(waiting, queue(true, 120)), "let in: read again");
    }

    @Test
    void thePreQueueIsReadAgainAtTheShuffle() {
        WaitingRoom.Spot early = new WaitingRoom.Spot(null, null, null, null);
        assertTrue(WaitingRoom.unchanged(early, queue(false, 0)));
        assertFalse(WaitingRoom.unchanged(early, queue(true, 0)));
    }

    @Test
    void aPassHolderIsAlwaysReadAndABuyerWhoOrderedNever() {
        assertFalse(WaitingRoom.unchanged(new WaitingRoom.Spot(3, AT, AT.plusSeconds(120), null), queue(true, 10)));
        assertTrue(WaitingRoom.unchanged(
                new WaitingRoom.Spot(3, AT, AT.plusSeconds(120), AT.plusSeconds(5)), queue(true, 10)));
        assertFalse(WaitingRoom.unchanged(null, queue(true, 10)), "not read yet");
    }
}
