package com.sansam.commerce.payment.client;

/** A 5xx from Toss (retried with the same Idempotency-Key). */
public class TossServerError extends TossException {

    public TossServerError(int status, String code, String message) {
        super(status, code, message);
    }
}
