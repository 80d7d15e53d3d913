package com.sansam.contracts.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The session contract every service shares: cookie name and idle lifetime must agree everywhere. */
@ConfigMapping(prefix = "sansam.session")
public interface SessionConfig {

    /** Sliding idle lifetime of a session: every authenticated request extends it. */
    @WithDefault("PT2H")
    Duration ttl();

    /** Absolute lifetime: a session ends this long after login however active it is. */
    @WithDefault("P1D")
    Duration maxLifetime();

    @WithDefault("SESSION")
    String cookieName();

    /** Mark the cookie Secure (true behind HTTPS in production). */
    @WithDefault("false")
    boolean cookieSecure();
}
