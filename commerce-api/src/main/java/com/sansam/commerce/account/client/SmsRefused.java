package com.sansam.commerce.account.client;

/** The provider refused the message (4xx: a bad number, credentials, balance); asking again will not help. */
public class SmsRefused extends RuntimeException {

    private final int status;
    private final String code;

    public SmsRefused(int status, String code, String message) {
        super("SMS provider refused (" + status + " " + code + "): " + message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
