package com.sansam.chat.realtime;

import com.sansam.contracts.session.SessionStore;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A WebSocket outlives the request that opened it: every {@code sansam.chat.session-recheck} the open
 * connections are checked against Redis, and one whose session has ended (logout, password change,
 * withdrawal, expiry) is closed with 1008.
 */
@ApplicationScoped
public class SessionRecheckJob {

    private final OpenConnections connections;
    private final ReactiveKeyCommands<String> keys;

    public SessionRecheckJob(OpenConnections connections, ReactiveRedisDataSource redis) {
        this.connections = connections;
        this.keys = redis.key();
    }

    @Scheduled(every = "${sansam.chat.session-recheck:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> recheck() {
        return Multi.createFrom().iterable(connections.listAll())
                .onItem().transformToUniAndMerge(this::closeIfEnded)
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> closeIfEnded(WebSocketConnection connection) {
        String sessionId = connection.userData().get(ChatSocket.SESSION_ID);
        if (sessionId == null || connection.isClosed()) {
            return Uni.createFrom().voidItem();
        }
        return keys.exists(SessionStore.SESSION_PREFIX + sessionId)
                .chain(exists -> exists ? Uni.createFrom().voidItem()
                        : connection.close(new CloseReason(1008, "session ended")))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
