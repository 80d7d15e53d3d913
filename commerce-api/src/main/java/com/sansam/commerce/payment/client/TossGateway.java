package com.sansam.commerce.payment.client;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Calls to Toss with the retries that are safe: a 5xx is retried with the same Idempotency-Key (Toss answers
 * a repeat with the first result). A timeout is never retried blindly: callers look the payment up instead.
 * Timeouts are the REST client's (quarkus.rest-client.toss.*-timeout).
 */
@ApplicationScoped
public class TossGateway {

    private final TossClient toss;

    public TossGateway(@RestClient TossClient toss) {
        this.toss = toss;
    }

    @Retry(maxRetries = 2, delay = 300, jitter = 100, retryOn = TossServerError.class)
    public Uni<TossPayment> confirm(String orderId, String paymentKey, long amount) {
        return toss.confirm("confirm-" + orderId, new TossRequests.Confirm(paymentKey, orderId, amount));
    }

    /** Lookups are reads: retried on 5xx too. */
    @Retry(maxRetries = 2, delay = 300, jitter = 100, retryOn = TossServerError.class)
    public Uni<TossPayment> byOrderId(String orderId) {
        return toss.byOrderId(orderId);
    }

    /** {@code cancelId} is the Idempotency-Key: a retried or repeated cancel refunds once. */
    @Retry(maxRetries = 2, delay = 300, jitter = 100, retryOn = TossServerError.class)
    public Uni<TossPayment> cancel(String paymentKey, String cancelId, String reason, Long amount) {
        return toss.cancel(paymentKey, cancelId, new TossRequests.Cancel(reason, amount));
    }
}
