package com.sansam.commerce.payment.service;

import com.sansam.commerce.order.service.PaymentRefunds;
import com.sansam.commerce.payment.client.TossGateway;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Refunds through Toss Payments' cancel API (the cancel id is Toss's idempotency key). */
@ApplicationScoped
public class TossRefunds implements PaymentRefunds {

    private final TossGateway toss;

    public TossRefunds(TossGateway toss) {
        this.toss = toss;
    }

    @Override
    public Uni<Void> refund(String paymentKey, String refundId, String reason, Long amount) {
        return toss.cancel(paymentKey, refundId, reason, amount).replaceWithVoid();
    }
}
