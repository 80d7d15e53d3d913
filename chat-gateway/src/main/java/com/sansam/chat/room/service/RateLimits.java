package com.sansam.chat.room.service;

import com.sansam.chat.config.ChatConfig;
import com.sansam.contracts.problem.ApiException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Per-user limits on what costs the platform most (fixed windows in Redis, shared by every gateway replica):
 * chat messages sent and rooms created. Past a limit the call fails with 429 (an {@code rate_limited} error frame
 * on the socket, {@code Retry-After} on REST) until the window ends.
 */
@ApplicationScoped
public class RateLimits {

    private static final String PREFIX = "sansam:chat:rate:";

    private final ReactiveValueCommands<String, Long> counters;
    private final ReactiveKeyCommands<String> keys;
    private final ChatConfig.Limits config;

    public RateLimits(ReactiveRedisDataSource redis, ChatConfig config) {
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.config = config.limits();
    }

    public Uni<Void> send(long userId) {
        return take("send:" + userId, config.sends(), config.sendWindow(), "Too many messages; slow down");
    }

    public Uni<Void> createRoom(long userId) {
        return take("room:" + userId, config.roomsCreated(), config.roomWindow(), "Too many rooms created; try again later");
    }

    private Uni<Void> take(String name, int max, Duration window, String detail) {
        String key = PREFIX + name;
        return counters.incr(key).chain(count -> {
            Uni<Void> expiry = count == 1 ? keys.pexpire(key, window.toMillis()).replaceWithVoid() : Uni.createFrom().voidItem();
            if (count <= max) {
                return expiry;
            }
            return expiry.chain(() -> keys.ttl(key)).invoke(ttl -> {
                throw ApiException.tooManyRequests(detail, ttl > 0 ? ttl : window.toSeconds());
            }).replaceWithVoid();
        });
    }
}
