package com.sansam.commerce.order.service;

import io.smallrye.mutiny.Uni;

/**
 * How orders get their money back to the buyer, owned by the order feature so that payment depends on order and never
 * the reverse (implemented by {@code payment/service/TossRefunds}).
 */
public interface PaymentRefunds {

    /**
     * Refunds {@code amount} of the payment (all of it when null); the same {@code refundId} refunds once however often
     * it is asked. Fails when the payment provider refuses or cannot be reached.
     */
    Uni<Void> refund(String paymentKey, String refundId, String reason, Long amount);
}
