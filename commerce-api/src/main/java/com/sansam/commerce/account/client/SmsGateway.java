package com.sansam.commerce.account.client;

import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Sends one SMS. Never retried: Solapi takes no idempotency key, so a send whose answer was lost may have been
 * delivered, and a retry would text the buyer twice. A provider that keeps failing opens the circuit for 20 s, so
 * buyers are told at once to try again instead of each waiting for a timeout. Refusals (4xx) do not count against it.
 */
@ApplicationScoped
public class SmsGateway {

    private final SolapiClient solapi;

    public SmsGateway(@RestClient SolapiClient solapi) {
        this.solapi = solapi;
    }

    /**
     * Fails with {@link SmsRefused}, {@link SmsUnavailable}, or the circuit breaker's and the timeout's own exceptions
     * (thrown around this method): callers pass every failure through {@link #classify}.
     */
    @Timeout(6000) // past the client's read timeout (5 s): only a hung connection gets here
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 20_000, skipOn = SmsRefused.class)
    @CircuitBreakerName("sms")
    public Uni<SolapiMessages.Sent> send(String to, String from, String text) {
        return solapi.send(new SolapiMessages.Send(new SolapiMessages.Message(to, from, text, "SMS")))
                .onFailure()
                .transform(SmsGateway::classify);
    }

    /** Any failure of {@link #send} as {@link SmsRefused} or {@link SmsUnavailable}. */
    public static RuntimeException classify(Throwable failure) {
        if (failure instanceof SmsRefused refused) {
            return refused;
        }
        if (failure instanceof SmsUnavailable unavailable) {
            return unavailable;
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return new SmsUnavailable("SMS provider failing lately; not asked", true);
        }
        boolean timedOut = failure instanceof TimeoutException
                || failure instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException
                || String.valueOf(failure.getMessage()).toLowerCase().contains("timeout")
                || String.valueOf(failure.getMessage()).toLowerCase().contains("timed out");
        // a connection that could not be opened sent nothing; anything else may have reached the provider
        boolean refusedConnection =
                failure instanceof java.net.ConnectException || failure.getCause() instanceof java.net.ConnectException;
        return new SmsUnavailable(
                "SMS provider " + (timedOut ? "did not answer in time" : "unreachable") + ": " + failure,
                refusedConnection);
    }
}
