package com.sansam.commerce.payment.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** The fields of Toss's Payment object this shop uses. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TossPayment(
        String paymentKey,
        String orderId,
        String orderName,
        String status,
        String method,
        Long totalAmount,
        Long balanceAmount,
        String currency,
        String requestedAt,
        String approvedAt,
        List<Cancel> cancels) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cancel(Long cancelAmount, String cancelReason, String canceledAt, String transactionKey) {}

    public boolean isDone() {
        return "DONE".equals(status) || "PARTIAL_CANCELED".equals(status);
    }
}
