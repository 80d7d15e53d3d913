package com.sansam.commerce.order.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Order policy; defaults from the original shop. */
@ConfigMapping(prefix = "sansam.order")
public interface OrderConfig {

    /** An unpaid order expires (its reservation released) after this long. */
    @WithDefault("PT10M")
    Duration unpaidTtl();

    /** A buyer may cancel a paid order within this window (admins any time). */
    @WithDefault("PT24H")
    Duration buyerCancelWindow();

    /** How often orders whose stock commit failed are refunded (and failed refunds retried). */
    @WithDefault("5s")
    String refundInterval();

    /** Redis pub/sub channel on which every replica learns that an order's status changed (long-polling waiters). */
    @WithDefault("sansam:order-status")
    String statusChannel();

    /** Longest a status request may wait for a change ({@code ?waitWhile=…&wait=…}). */
    @WithDefault("PT30S")
    Duration maxStatusWait();
}
