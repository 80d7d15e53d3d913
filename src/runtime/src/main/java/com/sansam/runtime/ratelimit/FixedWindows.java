package com.sansam.runtime.ratelimit;

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
            Uni<Void> expiry = count == 1
                    ? keys.pexpire(key, window.toMillis()).replaceWithVoid()
                    : Uni.createFrom().voidItem();
            if (count <= max) {
                return expiry.replaceWith(0L);
            }
            return expiry.chain(() -> keys.ttl(key)).map(ttl -> ttl > 0 ? ttl : Math.max(1, window.toSeconds()));
        });
    }

    /** Counts one event of {@code key} in its window (started by the first; a later event never extends it). */
    public Uni<Long> count(String key, Duration window) {
        return counters.incr(key)
                .call(count -> count == 1
                        ? keys.pexpire(key, window.toMillis())
                        : Uni.createFrom().voidItem());
    }

    /** How many events {@code key} counted in its current window (0 when none). */
    public Uni<Long> peek(String key) {
        return counters.get(key).map(count -> count == null ? 0L : count);
    }

    /** Seconds until {@code key}'s window ends (at least 1). */
    public Uni<Long> secondsLeft(String key, Duration window) {
        return keys.ttl(key).map(ttl -> ttl > 0 ? ttl : Math.max(1, window.toSeconds()));
    }

    /** Gives one use back (a login that turned out good); never leaves a key without expiry behind. */
    public Uni<Void> giveBack(String key) {
        return counters.decr(key)
                // the window ended meanwhile: DECR made a fresh key without expiry; drop it
                .chain(left -> left < 0
                        ? keys.del(key).replaceWithVoid()
                        : Uni.createFrom().voidItem());
    }

    public Uni<Void> reset(String key) {
        return keys.del(key).replaceWithVoid();
    }
}
