package com.sansam.commerce.deal.model;

/**
 * {@code PENDING} (units asked of the stock-worker) → {@code OPEN} (set aside; sold between its start and end) →
 * {@code ENDED}; or {@code PENDING → REFUSED} when the stock was short. Whether an open deal is upcoming, live or
 * over is a matter of the clock (see {@link Deal#state}).
 */
public enum DealStatus {
    PENDING,
    OPEN,
    REFUSED,
    ENDED
}
