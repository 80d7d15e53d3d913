package com.sansam.contracts.ratelimit;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Fixed-window counters in Redis, shared by every replica: the login throttle and the chat rate limits count with
 * them. A take counts first and then compares, so concurrent callers cannot all pass a check before any of them
 * was counted.
 */
@ApplicationScoped
public class FixedWindows {

    private final ReactiveValueCommands<String, Long> counters;
    private final ReactiveKeyCommands<String> keys;

    public FixedWindows(ReactiveRedisDataSource redis) {
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
    }

    /** Counts one use of {@code key}; answers the seconds until its window ends when it is past {@code max}, else 0. */
    public Uni<Long> take(String key, int max, Duration window) {
        return counters.incr(key).chain(count -> {
            Uni<Void> expiry = count == 1 ? keys.pexpire(key, window.toMillis()).replaceWithVoid() : Uni.createFrom().voidItem();
            if (count <= max) {
                return expiry.replaceWith(0L);
            }
            return expiry.chain(() -> keys.ttl(key)).map(ttl -> ttl > 0 ? ttl : Math.max(1, window.toSeconds()));
        });
    }

    /** Gives one use back (a login that turned out good); never leaves a key without expiry behind. */
    public Uni<Void> giveBack(String key) {
        return counters.decr(key)
                // the window ended meanwhile: DECR made a fresh key without expiry; drop it
                .chain(left -> left < 0 ? keys.del(key).replaceWithVoid() : Uni.createFrom().voidItem());
    }

    public Uni<Void> reset(String key) {
        return keys.del(key).replaceWithVoid();
    }
}
