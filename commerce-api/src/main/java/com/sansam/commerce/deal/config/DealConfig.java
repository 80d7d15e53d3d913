package com.sansam.commerce.deal.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "sansam.deals")
public interface DealConfig {

    /** How long a deal's unpaid order holds its units (shorter than a regular order's, so they return quickly). */
    @WithDefault("PT5M")
    Duration unpaidTtl();

    /** How long before its start the wishers of a deal's product are told. */
    @WithDefault("PT10M")
    Duration reminderLead();

    /** How often deals are ended, and reminders sent, when their time comes. */
    @WithDefault("1s")
    String tick();

    /**
     * How long a replica answers "sold out" for a deal SKU it saw at zero without asking the database again (the
     * rush after a deal sells out costs no query; a unit given back is offered again after at most this long).
     */
    @WithDefault("PT1S")
    Duration soldOutHint();

    /** How often each replica re-reads the remaining units of the deals someone is watching (the SSE stream). */
    @WithDefault("PT0.25S")
    Duration streamInterval();

    /**
     * How long an ended deal may wait for the stock-worker's DealClosed before its close is asked again (by the
     * recovery that runs shortly after start-up and then every {@link #closeRecoveryInterval()}).
     */
    @WithDefault("PT10M")
    Duration closeAnswerWait();

    @WithDefault("1h")
    String closeRecoveryInterval();

    /**
     * Seals draw seeds until their draw (required in production: {@code DRAW_SEAL_KEY}, at least 32 characters). A
     * seed sealed with one key can only be drawn with the same key: rotate only when no draw is pending.
     */
    Optional<String> drawSealKey();

    /** How often the waiting rooms let buyers in and draws are made (each replica; one shared clock per deal). */
    @WithDefault("PT0.1S")
    Duration fairDropTick();

    /**
     * How long after the start's shuffle nobody is let in yet, so that every buyer of the pre-queue hears their place
     * first (and the first buyers' orders do not meet thousands of place announcements on the way).
     */
    @WithDefault("PT1S")
    Duration queueAnnounce();

    /** How often each replica re-reads the places of the queue's buyers watching it (their SSE streams). */
    @WithDefault("PT0.25S")
    Duration queueStreamInterval();
}
