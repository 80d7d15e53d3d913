package com.sansam.runtime.session;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Listens, for the life of the service, to the sessions ended on any replica of any service
 * ({@link SessionStore#ENDED_CHANNEL}) and makes this replica's {@link SessionStore} forget that user's sessions, so
 * a logout, password change or withdrawal stops the session here at once, not after {@code local-cache-ttl}.
 */
@ApplicationScoped
public class SessionEndings {

    private static final Logger LOG = Logger.getLogger(SessionEndings.class);

    void listen(@Observes StartupEvent event, ReactiveRedisDataSource redis, SessionStore sessions) {
        redis.pubsub(String.class)
                .subscribe(SessionStore.ENDED_CHANNEL)
                .onFailure()
                .invoke(e -> LOG.warnf("Session-ended subscription lost (%s); resubscribing", e.toString()))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .indefinitely()
                .subscribe()
                .with(userId -> {
                    try {
                        sessions.forgetUser(Long.parseLong(userId));
                    } catch (NumberFormatException notAUserId) {
                        LOG.debugf("Ignored a session-ended announcement that names no user: %s", userId);
                    }
                });
    }
}
