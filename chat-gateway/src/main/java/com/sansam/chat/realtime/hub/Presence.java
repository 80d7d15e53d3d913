package com.sansam.chat.realtime.hub;

import com.sansam.chat.room.service.OnlineMembers;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Who is connected to the chat on any replica, in Redis: hash {@code sansam:chat:online:<userId>} with one field
 * per replica holding that replica's lease (epoch seconds). Each replica renews the leases of its users every
 * 30 s; a crashed replica's lease simply runs out (90 s).
 */
@ApplicationScoped
public class Presence implements OnlineMembers {

    static final String PREFIX = "sansam:chat:online:";
    private static final long LEASE_SECONDS = 90;

    private final String replica = UUID.randomUUID().toString();
    private final ReactiveHashCommands<String, String, Long> hashes;
    private final ReactiveKeyCommands<String> keys;
    private final ChatHub hub;

    public Presence(ReactiveRedisDataSource redis, ChatHub hub) {
        this.hashes = redis.hash(Long.class);
        this.keys = redis.key();
        this.hub = hub;
    }

    public Uni<Void> online(long userId) {
        String key = PREFIX + userId;
        return hashes.hset(key, replica, now() + LEASE_SECONDS)
                .chain(() -> keys.expire(key, LEASE_SECONDS))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** This replica holds no more connections of the user. */
    public Uni<Void> offline(long userId) {
        return hashes.hdel(PREFIX + userId, replica)
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** The users of {@code candidates} with a live lease on some replica. A Redis outage counts everyone as online. */
    @Override
    public Uni<List<Long>> offlineAmong(Collection<Long> candidates) {
        long now = now();
        return Multi.createFrom()
                .iterable(candidates)
                .onItem()
                .transformToUniAndMerge(
                        userId -> hashes.hgetall(PREFIX + userId).map(leases -> isLive(leases, now) ? -1L : userId))
                .filter(userId -> userId >= 0)
                .collect()
                .asList()
                .onFailure()
                .recoverWithItem(List.of());
    }

    @Scheduled(every = "30s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> renew() {
        return Multi.createFrom()
                .iterable(hub.connectedUsers())
                .onItem()
                .transformToUniAndMerge(this::online)
                .collect()
                .last()
                .replaceWithVoid();
    }

    private static boolean isLive(Map<String, Long> leases, long now) {
        return leases != null && leases.values().stream().anyMatch(until -> until != null && until > now);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
