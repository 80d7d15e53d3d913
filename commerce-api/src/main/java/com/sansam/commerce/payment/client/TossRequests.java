package com.sansam.commerce.payment.client;

import com.fasterxml.jackson.annotation.JsonInclude;

public final class TossRequests {

    private TossRequests() {}

    public record Confirm(String paymentKey, String orderId, long amount) {}

    /** {@code cancelAmount} null = cancel the whole remaining balance. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cancel(String cancelReason, Long cancelAmount) {}
}
