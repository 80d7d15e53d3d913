package com.sansam.commerce.account.client;

/**
 * The provider could not be asked (5xx, timeout, connection, circuit open). {@code notSent}: it said so (5xx, an open
 * circuit); otherwise the message may still arrive, and is never sent again by the shop for that reason.
 */
public class SmsUnavailable extends RuntimeException {

    private final boolean notSent;

    public SmsUnavailable(String message, boolean notSent) {
        super(message, null, false, false);
        this.notSent = notSent;
    }

    public boolean notSent() {
        return notSent;
    }
}
