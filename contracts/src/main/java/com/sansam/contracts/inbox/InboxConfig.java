package com.sansam.contracts.inbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "sansam.inbox")
public interface InboxConfig {

    /** Tries of a message before it is dead-lettered (transient failures only; permanent ones go at once). */
    @WithDefault("5")
    int maxAttempts();

    @WithDefault("PT0.1S")
    Duration initialBackoff();

    @WithDefault("PT2S")
    Duration maxBackoff();
}
