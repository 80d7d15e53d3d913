package com.sansam.commerce.deal.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.commerce.deal.model.DealDtos.QueuePlace;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which new positions a waiting buyer is sent, and which wait for more news. */
class QueueStreamNewsTest {

    private static final Instant START = Instant.parse("2026-12-07T14:00:00Z");

    private static QueuePlace waiting(int place, int admitted, int waiting) {
        int ahead = place - admitted - 1;
        return new QueuePlace(1, "waiting", place, ahead, (long) Math.ceil((ahead + 1) / 200.0), null, waiting, START);
    }

    private static long seconds(double s) {
        return (long) (s * Duration.ofSeconds(1).toNanos());
    }

    @Test
    void aBuyerFarBackHearsTheQueueMoveInTenths() {
        QueuePlace heard = waiting(2_501, 0, 5_000);
        assertFalse(QueueStream.news(heard, waiting(2_501, 50, 4_950), seconds(3)), "50 of 2,500 ahead: no news");
        assertFalse(QueueStream.news(heard, waiting(2_501, 249, 4_751), seconds(3)));
        assertTrue(QueueStream.news(heard, waiting(2_501, 250, 4_750), seconds(3)), "a tenth of those ahead");
        assertTrue(QueueStream.news(heard, waiting(2_501, 50, 4_950), seconds(10)), "any change after 10 s");
    }

    @Test
    void theFirstFewHearEveryStepButAtMostOnceASecond() {
        QueuePlace heard = waiting(6, 0, 100);
        assertTrue(QueueStream.news(heard, waiting(6, 1, 99), seconds(1)));
        assertFalse(QueueStream.news(heard, waiting(6, 1, 99), seconds(0.5)), "within the second");
    }

    @Test
    void nothingNewIsNeverSent() {
        QueuePlace heard = waiting(6, 0, 100);
        assertFalse(QueueStream.news(heard, waiting(6, 0, 100), seconds(60)));
    }
}
