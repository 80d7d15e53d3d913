package com.sansam.commerce.payment.client;

/** Toss answered with an error: {@code {"code", "message"}} and an HTTP status. */
public class TossException extends RuntimeException {

    private final int status;
    private final String code;

    public TossException(int status, String code, String message) {
        super("Toss " + status + " " + code + ": " + message);
        this.status = status;
        this.code = code == null ? "UNKNOWN" : code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** 5xx: the same request may be retried with the same Idempotency-Key. */
    public boolean isServerError() {
        return status >= 500;
    }

    public boolean isNotFound() {
        return status == 404 || code.startsWith("NOT_FOUND");
    }
}
