package com.sansam.runtime.outbox;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Singleton;

/** Skips relay rounds where the relay is switched off by configuration. */
@Singleton
public class OutboxEnabled implements Scheduled.SkipPredicate {

    private final OutboxConfig config;

    public OutboxEnabled(OutboxConfig config) {
        this.config = config;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return !config.enabled();
    }
}
