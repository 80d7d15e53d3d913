package com.sansam.runtime.outbox;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The lowest outbox id a nudged claim needs to look at. Ids are handed out when a row is inserted, so a row with a
 * lower id than one the relay claimed at time {@code t} was inserted before {@code t}: if it is still not visible
 * {@code window} after {@code t}, the transaction that wrote it has lasted longer than the window. A nudged claim
 * therefore starts above the highest id claimed at least {@code window} ago; a row of a longer transaction, or one
 * left behind (its aggregate's previous row in flight elsewhere, a retry waiting out its backoff), is found by the
 * poll, which claims from the first id. Without the floor every claim walked the index entries of all rows sent since
 * the last vacuum: tens of thousands a minute under load, most of PostgreSQL's time per order.
 */
final class ClaimFloor {

    private final long windowNanos;
    /** {first nanoTime, last nanoTime, highest id claimed} of recent claims, oldest first. */
    private final ArrayDeque<long[]> recent = new ArrayDeque<>();

    private long floor;

    ClaimFloor(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** A claim took rows up to {@code highestId} now. */
    synchronized void claimed(long highestId) {
        long now = System.nanoTime();
        long[] last = recent.peekLast();
        if (last != null && now - last[0] < windowNanos / 64) { // one sample per slice of the window is enough
            last[1] = now; // counted from the latest claim in it
            last[2] = Math.max(last[2], highestId);
            return;
        }
        recent.addLast(new long[] {now, now, highestId});
    }

    /** The id a nudged claim starts from: above every id claimed at least a window ago. */
    synchronized long floor() {
        long settled = System.nanoTime() - windowNanos;
        while (!recent.isEmpty() && recent.peekFirst()[1] - settled <= 0) {
            floor = Math.max(floor, recent.pollFirst()[2] + 1);
        }
        return floor;
    }
}
