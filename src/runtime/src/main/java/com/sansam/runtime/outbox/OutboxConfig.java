package com.sansam.runtime.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "sansam.outbox")
public interface OutboxConfig {

    /** Run the relay in this replica. */
    @WithDefault("true")
    boolean enabled();

    /** How often the relay looks for rows no nudge published (e.g. "1s"; at least a second). */
    @WithDefault("1s")
    String pollInterval();

    @WithDefault("100")
    int batchSize();

    /**
     * At most this many rows of one round that go to the same queue travel as one broker message
     * ({@link com.sansam.messages.Bundles}); 1, the default, sends every row as a message of its own. Consumers read
     * both. On one broker node bundles cut RabbitMQ's CPU per order by a third but cost PostgreSQL and the
     * stock-worker more than that (docs/benchmarks.md), so they are off until a cluster's figures say otherwise.
     */
    @WithDefault("1")
    int bundleSize();

    /**
     * How long a transaction may keep outbox rows uncommitted and still have them published by its own nudge; rows of
     * longer transactions wait for the next poll ({@link ClaimFloor}).
     */
    @WithDefault("PT5S")
    Duration commitWindow();

    /** How long to wait for the broker's publisher confirm before counting the attempt as failed. */
    @WithDefault("PT5S")
    Duration confirmTimeout();

    @WithDefault("PT0.5S")
    Duration initialBackoff();

    @WithDefault("PT1M")
    Duration maxBackoff();

    /** How long sent rows are kept (for inspection) before they are deleted. */
    @WithDefault("P3D")
    Duration retention();
}
