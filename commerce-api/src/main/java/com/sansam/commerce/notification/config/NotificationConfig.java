package com.sansam.commerce.notification.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Notification policy, from {@code sansam.notification.*}. */
@ConfigMapping(prefix = "sansam.notification")
public interface NotificationConfig {

    /** How long in-site notices are kept. */
    @WithDefault("P14D")
    Duration retention();

    /** How long after payment a buyer is asked for a review (if the order stands and nothing is reviewed yet). */
    @WithDefault("P7D")
    Duration reviewRequestDelay();

    /** Link base in emails. */
    @WithDefault("http://localhost:8080")
    String shopUrl();

    /** Tries before an email is given up (with exponential backoff from 10 s). */
    @WithDefault("8")
    int emailMaxAttempts();

    /** How often due emails are looked for (a scheduler interval such as {@code 2s}). */
    @WithDefault("2s")
    String emailPoll();

    /** How often orders are checked for review requests. */
    @WithDefault("1m")
    String reviewRequestCheck();

    /** How often expired notices are deleted. */
    @WithDefault("1h")
    String retentionCheck();
}
