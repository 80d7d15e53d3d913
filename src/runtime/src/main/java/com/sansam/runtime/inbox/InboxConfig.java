package com.sansam.runtime.inbox;

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

    /** First wait before a consumer whose stream died is subscribed again (doubles up to the maximum). */
    @WithDefault("PT1S")
    Duration consumerRestartBackoff();

    @WithDefault("PT10S")
    Duration consumerRestartMaxBackoff();

    /** How long processed message ids are kept for deduplication (far beyond any redelivery). */
    @WithDefault("P14D")
    Duration retention();

    /**
     * Most messages of one lane applied in one transaction (group commit) by a {@link BatchHandler}; a batch is what
     * arrived while the previous one ran, so a quiet channel still handles each message at once.
     */
    @WithDefault("64")
    int batchSize();

    /** Messages of a channel processed at once per replica, by channel name (1 when not set: in order). */
    java.util.Map<String, Integer> concurrency();

    /** A sharded queue's lease on a shard lasts this long unless renewed ({@link ShardLeases}). */
    @WithDefault("PT3S")
    Duration shardLeaseTtl();

    /** How often a replica renews its shard leases and claims or gives back shards. */
    @WithDefault("PT0.5S")
    Duration shardLeaseTick();

    /** Messages of one shard handed to a replica before it acknowledged them. */
    @WithDefault("32")
    int shardPrefetch();

    /** How long a shard given back waits for its messages in hand to be settled before its channel closes. */
    @WithDefault("PT10S")
    Duration shardDrainTimeout();
}
