package com.sansam.runtime.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

/** The SESSION cookie: HttpOnly, SameSite=Lax, Secure when configured; its lifetime is the server's business. */
@ApplicationScoped
public class SessionCookies {

    private final SessionConfig config;

    public SessionCookies(SessionConfig config) {
        this.config = config;
    }

    public NewCookie session(String sessionId) {
        return base(sessionId).build();
    }

    public NewCookie expired() {
        return base("").maxAge(0).build();
    }

    /** Another cookie of the shop with the same protections, kept by the browser for {@code maxAge}, sent to {@code path} only. */
    public NewCookie persistent(String name, String value, String path, java.time.Duration maxAge) {
        return new NewCookie.Builder(name)
                .value(value)
                .path(path)
                .httpOnly(true)
                .secure(config.cookieSecure())
                .sameSite(NewCookie.SameSite.LAX)
                .maxAge((int) Math.min(Integer.MAX_VALUE, maxAge.toSeconds()))
                .build();
    }

    private NewCookie.Builder base(String value) {
        return new NewCookie.Builder(config.cookieName())
                .value(value)
                .path("/")
                .httpOnly(true)
                .secure(config.cookieSecure())
                .sameSite(NewCookie.SameSite.LAX);
    }
}
