package com.sansam.commerce.account.service;

import com.sansam.commerce.account.config.AccountConfig;
import com.sansam.contracts.problem.ApiException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts login attempts per account and per client address in Redis (fixed window), before the password is
 * checked; a good login takes its attempt back, so what remains counted are failures and attempts in flight. Past
 * the limit a login answers 429 with Retry-After until the window ends, even with the right password.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final String PREFIX = "sansam:login-failures:";

    private final ReactiveValueCommands<String, Long> counters;
    private final ReactiveKeyCommands<String> keys;
    private final AccountConfig.Throttle config;

    public LoginThrottle(ReactiveRedisDataSource redis, AccountConfig config) {
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.config = config.throttle();
    }

    /**
     * Counts this attempt against the account and the address first, then fails with 429 when either is past its
     * limit: parallel guesses cannot all pass a check before any of them is counted. A successful login takes its
     * attempt back ({@link #succeeded}).
     */
    public Uni<Void> attempt(String email, String address) {
        return count(accountKey(email), config.maxFailuresPerAccount())
                .chain(accountWait -> accountWait > 0 ? Uni.createFrom().item(accountWait)
                        : count(addressKey(address), config.maxFailuresPerAddress()))
                .invoke(wait -> {
                    if (wait > 0) {
                        throw ApiException.tooManyRequests("Too many failed logins; try again later", wait);
                    }
                })
                .replaceWithVoid();
    }

    /** The attempt was good: the account starts afresh, the address gets this attempt back. */
    public Uni<Void> succeeded(String email, String address) {
        String addressKey = addressKey(address);
        return keys.del(accountKey(email))
                .chain(() -> counters.decr(addressKey))
                // the window ended meanwhile: DECR made a fresh key without expiry; drop it
                .chain(left -> left < 0 ? keys.del(addressKey).replaceWithVoid() : Uni.createFrom().voidItem());
    }

    /** Counts one attempt; answers the seconds to wait when the key is past its limit, else 0. */
    private Uni<Long> count(String key, int max) {
        return counters.incr(key).chain(count -> {
            Uni<Void> expiry = count == 1 ? keys.expire(key, config.window().toSeconds()).replaceWithVoid()
                    : Uni.createFrom().voidItem();
            if (count <= max) {
                return expiry.replaceWith(0L);
            }
            return expiry.chain(() -> keys.ttl(key)).map(ttl -> ttl > 0 ? ttl : config.window().toSeconds());
        });
    }

    private static String accountKey(String email) {
        return PREFIX + "account:" + email;
    }

    private static String addressKey(String address) {
        return PREFIX + "address:" + address;
    }
}
