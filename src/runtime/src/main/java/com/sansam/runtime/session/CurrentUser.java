package com.sansam.runtime.session;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the current request. */
@RequestScoped
public class CurrentUser {

    private final SecurityIdentity identity;

    public CurrentUser(SecurityIdentity identity) {
        this.identity = identity;
    }

    public long id() {
        if (identity.isAnonymous()) {
            throw new UnauthorizedException();
        }
        return Long.parseLong(identity.getPrincipal().getName());
    }

    public String sessionId() {
        return identity.getAttribute(SessionIdentityProvider.SESSION_ID_ATTRIBUTE);
    }

    public boolean isAdmin() {
        return identity.hasRole("ADMIN");
    }
}
