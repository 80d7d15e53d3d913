package com.sansam.runtime.problem;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;

/**
 * Whether a failure means "too much at once" rather than "broken": a connection pool (PostgreSQL, Redis) whose
 * waiting queue is full, or a wait for a connection that outlived its deadline. Such a request is answered 503 with
 * Retry-After (the client tries again shortly), never 500.
 */
public final class Overload {

    /** How long clients are asked to wait before trying again. */
    public static final long RETRY_AFTER_SECONDS = 1;

    private Overload() {}

    public static boolean is(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConnectionPoolTooBusyException) {
                return true;
            }
            if (cause instanceof VertxException && "Timeout waiting for connection".equals(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
