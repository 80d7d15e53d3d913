package com.sansam.runtime.session;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Resolves a session id to the user and role stored in Redis. */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<SessionAuthenticationRequest> {

    public static final String SESSION_ID_ATTRIBUTE = "sansam.sessionId";

    private final SessionStore sessions;

    public SessionIdentityProvider(SessionStore sessions) {
        this.sessions = sessions;
    }

    @Override
    public Class<SessionAuthenticationRequest> getRequestType() {
        return SessionAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            SessionAuthenticationRequest request, AuthenticationRequestContext context) {
        return sessions.touch(request.sessionId()).map(session -> {
            if (session == null) {
                throw new AuthenticationFailedException("session ended or unknown");
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(Long.toString(session.userId())))
                    .addRole(session.role().name())
                    .addAttribute(SESSION_ID_ATTRIBUTE, session.sessionId())
                    .build();
        });
    }
}
