package com.sansam.commerce.payment.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/** Turns Toss's non-2xx answers into {@link TossException} (or {@link TossServerError} for 5xx). */
public class TossErrorMapper implements ResponseExceptionMapper<TossException> {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TossError(String code, String message) {}

    @Override
    public TossException toThrowable(Response response) {
        TossError error;
        try {
            error = response.readEntity(TossError.class);
        } catch (RuntimeException unreadable) {
            error = new TossError("UNREADABLE_ERROR", "HTTP " + response.getStatus());
        }
        String code = error == null ? null : error.code();
        String message = error == null ? null : error.message();
        return response.getStatus() >= 500
                ? new TossServerError(response.getStatus(), code, message)
                : new TossException(response.getStatus(), code, message);
    }
}
