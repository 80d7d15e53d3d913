package com.sansam.commerce.deal.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * The time every deal rule reads (start, end, reminders). One bean, so tests can move time forward instead of
 * sleeping; order expiry is not a deal rule and keeps the real clock.
 */
@ApplicationScoped
public class DealClock {

    public Instant now() {
        return Instant.now();
    }
}
