package com.sansam.chat.realtime.socket;

import com.sansam.runtime.session.SessionStore;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * A WebSocket outlives the request that opened it. A connection whose session has ended is closed with 1008:
 * at once when commerce-api announces that sessions of its user ended (logout, password change, withdrawal:
 * {@link SessionStore#ENDED_CHANNEL}), and every {@code sansam.chat.session-recheck} for everything else
 * (expiry, a missed announcement).
 */
@ApplicationScoped
public class SessionRecheckJob {

    private static final Logger LOG = Logger.getLogger(SessionRecheckJob.class);

    private final OpenConnections connections;
    private final ReactiveKeyCommands<String> keys;

    private final ReactivePubSubCommands<String> pubsub;

    public SessionRecheckJob(OpenConnections connections, ReactiveRedisDataSource redis) {
        this.connections = connections;
        this.keys = redis.key();
        this.pubsub = redis.pubsub(String.class);
    }

    void listen(@Observes StartupEvent event) {
        pubsub.subscribe(SessionStore.ENDED_CHANNEL)
                .onFailure()
                .invoke(e -> LOG.warnf("Session-ended subscription lost (%s); resubscribing", e.toString()))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .indefinitely()
                .onItem()
                .transformToUniAndMerge(this::recheckUser)
                .subscribe()
                .with(ignored -> {});
    }

    /** Checks the connections of one user now. */
    private Uni<Void> recheckUser(String userId) {
        return Multi.createFrom()
                .iterable(connections.listAll())
                .filter(connection -> userId.equals(
                        String.valueOf((Object) connection.userData().get(ChatSocket.USER_ID))))
                .onItem()
                .transformToUniAndMerge(this::closeIfEnded)
                .collect()
                .last()
                .replaceWithVoid()
                .onFailure()
                .recoverWithNull();
    }

    @Scheduled(
            every = "${sansam.chat.session-recheck:30s}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> recheck() {
        return Multi.createFrom()
                .iterable(connections.listAll())
                .onItem()
                .transformToUniAndMerge(this::closeIfEnded)
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Void> closeIfEnded(WebSocketConnection connection) {
        String sessionId = connection.userData().get(ChatSocket.SESSION_ID);
        if (sessionId == null || connection.isClosed()) {
            return Uni.createFrom().voidItem();
        }
        return keys.exists(SessionStore.SESSION_PREFIX + sessionId)
                .chain(exists ->
                        exists ? Uni.createFrom().voidItem() : connection.close(new CloseReason(1008, "session ended")))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
