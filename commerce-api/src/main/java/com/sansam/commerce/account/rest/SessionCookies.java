package com.sansam.commerce.account.rest;

import com.sansam.commerce.account.config.AccountConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

/** The SESSION cookie: HttpOnly, SameSite=Lax, Secure when configured; its lifetime is the server's business. */
@ApplicationScoped
public class SessionCookies {

    private final AccountConfig.Session config;

    public SessionCookies(AccountConfig config) {
        this.config = config.session();
    }

    public NewCookie session(String sessionId) {
        return base(sessionId).build();
    }

    public NewCookie expired() {
        return base("").maxAge(0).build();
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
