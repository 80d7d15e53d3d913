package com.sansam.runtime.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link ClaimFloor} on its own: it only passes an id once a whole window has gone by since it was claimed. */
class ClaimFloorTest {

    @Test
    void theFloorPassesAnIdOnlyAWindowAfterItWasClaimed() throws InterruptedException {
        ClaimFloor floor = new ClaimFloor(Duration.ofMillis(300));
        assertEquals(0, floor.floor(), "nothing claimed yet: from the first id");
        floor.claimed(10);
        assertEquals(0, floor.floor(), "claimed just now: a transaction that wrote a lower id may still commit");
        Thread.sleep(350);
        floor.claimed(20);
        assertEquals(11, floor.floor(), "a window after 10 was claimed, ids up to 10 are settled; 20 is not");
        Thread.sleep(350);
        assertEquals(21, floor.floor());
    }

    @Test
    void claimsCloseTogetherShareASampleCountedFromTheLastOfThem() throws InterruptedException {
        ClaimFloor floor = new ClaimFloor(Duration.ofMillis(6400)); // samples 100 ms apart at most
        floor.claimed(5);
        floor.claimed(7); // same slice: one sample, counted from this claim
        assertEquals(0, floor.floor());
        Thread.sleep(150);
        floor.claimed(9); // a new slice
        assertEquals(0, floor.floor(), "no claim is a window old yet");
    }

    @Test
    void theFloorNeverGoesBack() throws InterruptedException {
        ClaimFloor floor = new ClaimFloor(Duration.ofMillis(100));
        floor.claimed(50);
        Thread.sleep(150);
        assertEquals(51, floor.floor());
        floor.claimed(30); // a row of a long transaction, claimed by the poll
        Thread.sleep(150);
        assertEquals(51, floor.floor());
    }
}
