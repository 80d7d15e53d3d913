package com.sansam.commerce.support;

import com.sansam.commerce.deal.service.DealClock;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import java.time.Instant;

/** The deal clock in tests: real time moved forward by what a test asked, so deals start and end without sleeping. */
@Alternative
@Priority(1)
@ApplicationScoped
public class TestDealClock extends DealClock {

    private static volatile Duration shift = Duration.ZERO;

    @Override
    public Instant now() {
        return Instant.now().plus(shift);
    }

    public static void advance(Duration by) {
        shift = shift.plus(by);
    }

    /** Back to real time (each test that moves the clock calls it when done). */
    public static void reset() {
        shift = Duration.ZERO;
    }

    public static Instant current() {
        return Instant.now().plus(shift);
    }
}
