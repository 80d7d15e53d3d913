package com.sansam.commerce.account.client;

import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/** Turns Solapi's non-2xx answers into {@link SmsRefused} (4xx: it will not send) or {@link SmsUnavailable} (5xx). */
public class SolapiErrorMapper implements ResponseExceptionMapper<RuntimeException> {

    @Override
    public RuntimeException toThrowable(Response response) {
        SolapiMessages.Error error;
        try {
            error = response.readEntity(SolapiMessages.Error.class);
        } catch (RuntimeException unreadable) {
            error = null;
        }
        String code = error == null || error.errorCode() == null ? "HTTP_" + response.getStatus() : error.errorCode();
        String message = error == null ? null : error.errorMessage();
        return response.getStatus() >= 500
                ? new SmsUnavailable("SMS provider answered " + response.getStatus() + " " + code, true)
                : new SmsRefused(response.getStatus(), code, message);
    }
}
