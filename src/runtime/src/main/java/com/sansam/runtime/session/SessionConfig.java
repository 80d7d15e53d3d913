package com.sansam.runtime.session;

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

    /**
     * How long a replica answers a session from memory before it asks Redis again (which also extends the session's
     * idle lifetime there). A session ended on any replica is dropped from every replica's memory at once through
     * {@link SessionStore#ENDED_CHANNEL}; this bounds how long a missed announcement could let it live on.
     */
    @WithDefault("PT5S")
    Duration localCacheTtl();

    /** Most sessions a replica keeps in memory (the least recently used go first). */
    @WithDefault("200000")
    long localCacheSize();

    /** Mark the cookie Secure (true behind HTTPS in production). */
    @WithDefault("false")
    boolean cookieSecure();
}
