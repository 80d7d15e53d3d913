package com.sansam.runtime.inbox;

/** A message that can never succeed (malformed, or against a rule): dead-lettered without retries. */
public class PermanentFailure extends RuntimeException {

    public PermanentFailure(String message) {
        super(message);
    }

    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
