package com.sansam.runtime.session;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The opaque session id taken from the SESSION cookie. */
public class SessionAuthenticationRequest extends BaseAuthenticationRequest {

    private final String sessionId;

    public SessionAuthenticationRequest(String sessionId) {
        this.sessionId = sessionId;
    }

    public String sessionId() {
        return sessionId;
    }
}
