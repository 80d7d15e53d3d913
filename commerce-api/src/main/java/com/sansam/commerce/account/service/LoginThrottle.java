package com.sansam.commerce.account.service;

import com.sansam.commerce.account.config.AccountConfig;
import com.sansam.contracts.problem.ApiException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts failed logins per account and per client address in Redis (fixed window). Past the limit a login
 * answers 429 with Retry-After until the window ends, even with the right password.
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

    /** Fails with 429 when either the account or the address has used up its failures. */
    public Uni<Void> check(String email, String address) {
        return blocked(accountKey(email), config.maxFailuresPerAccount())
                .chain(accountWait -> accountWait > 0 ? Uni.createFrom().item(accountWait)
                        : blocked(addressKey(address), config.maxFailuresPerAddress()))
                .invoke(wait -> {
                    if (wait > 0) {
                        throw ApiException.tooManyRequests("Too many failed logins; try again later", wait);
                    }
                })
                .replaceWithVoid();
    }

    public Uni<Void> recordFailure(String email, String address) {
        return increment(accountKey(email)).chain(() -> increment(addressKey(address)));
    }

    public Uni<Void> reset(String email) {
        return keys.del(accountKey(email)).replaceWithVoid();
    }

    /** Seconds to wait, or 0 when not blocked. */
    private Uni<Long> blocked(String key, int max) {
        return counters.get(key).chain(count -> {
            if (count == null || count < max) {
                return Uni.createFrom().item(0L);
            }
            return keys.ttl(key).map(ttl -> ttl > 0 ? ttl : config.window().toSeconds());
        });
    }

    private Uni<Void> increment(String key) {
        return counters.incr(key).chain(count -> count == 1
                ? keys.expire(key, config.window().toSeconds()).replaceWithVoid()
                : Uni.createFrom().voidItem());
    }

    private static String accountKey(String email) {
        return PREFIX + "account:" + email;
    }

    private static String addressKey(String address) {
        return PREFIX + "address:" + address;
    }
}
