package com.sansam.commerce.order.model;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The order state machine, in one place. {@code PENDING → STOCK_RESERVED → PAID → (PARTIALLY_)CANCELLED},
 * with REJECTED (no stock), PAYMENT_FAILED, EXPIRED (reservation ran out) and REFUNDED (paid, but the stock
 * could not be committed: the payment was cancelled automatically).
 */
public enum OrderStatus {
    PENDING,
    STOCK_RESERVED,
    PAID,
    PARTIALLY_CANCELLED,
    CANCELLED,
    REJECTED,
    PAYMENT_FAILED,
    EXPIRED,
    REFUNDED;

    private static final Map<OrderStatus, Set<OrderStatus>> NEXT = Map.of(
            PENDING, EnumSet.of(STOCK_RESERVED, REJECTED, EXPIRED, CANCELLED),
            STOCK_RESERVED, EnumSet.of(PAID, PAYMENT_FAILED, EXPIRED, CANCELLED),
            PAID, EnumSet.of(PARTIALLY_CANCELLED, CANCELLED, REFUNDED),
            PARTIALLY_CANCELLED, EnumSet.of(PARTIALLY_CANCELLED, CANCELLED, REFUNDED),
            CANCELLED, EnumSet.noneOf(OrderStatus.class),
            REJECTED, EnumSet.noneOf(OrderStatus.class),
            PAYMENT_FAILED, EnumSet.noneOf(OrderStatus.class),
            EXPIRED, EnumSet.noneOf(OrderStatus.class),
            REFUNDED, EnumSet.noneOf(OrderStatus.class));

    public boolean canBecome(OrderStatus next) {
        return NEXT.get(this).contains(next);
    }

    /** Paid and not wholly given back. */
    public boolean isPaid() {
        return this == PAID || this == PARTIALLY_CANCELLED;
    }

    /** Not paid yet and still able to be paid (its stock is or may be held). */
    public boolean isUnpaidOpen() {
        return this == PENDING || this == STOCK_RESERVED;
    }
}
