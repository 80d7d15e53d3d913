package com.sansam.commerce.account.service;

import com.sansam.commerce.account.config.AccountConfig;
import com.sansam.commerce.notification.service.NotificationTriggers;
import com.sansam.runtime.security.Randomness;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * One-time login codes sent to the account's email when a new device logs in to an account under attack
 * ({@link LoginThrottle#underAttack}). A code is 6 digits, kept only as a hash, valid for {@code code-ttl}, good for
 * one login and at most {@code code-attempts} tries; a new one is sent at most once per {@code code-resend-after}
 * (until then the last one stays valid).
 */
@ApplicationScoped
public class LoginCodes {

    private static final String PREFIX = "sansam:login:code:";

    private final ReactiveKeyCommands<String> keys;
    private final ReactiveValueCommands<String, String> values;
    private final ReactiveValueCommands<String, Long> counters;
    private final AccountConfig.Throttle config;
    private final NotificationTriggers notices;

    public LoginCodes(ReactiveRedisDataSource redis, AccountConfig config, NotificationTriggers notices) {
        this.keys = redis.key();
        this.values = redis.value(String.class);
        this.counters = redis.value(Long.class);
        this.config = config.throttle();
        this.notices = notices;
    }

    /** Sends a new code by email unless one was sent within {@code code-resend-after}. */
    public Uni<Void> send(long userId) {
        // SET NX GET (Redis 7): answers the earlier mark when a code was sent within the resend delay
        return values.setGet(PREFIX + "sent:" + userId, "1", new SetArgs().nx().px(config.codeResendAfter()))
                .chain(previous -> {
                    if (previous != null) {
                        return Uni.createFrom().voidItem(); // the last code is on its way and still valid
                    }
                    String code = String.format("%06d", Randomness.secure().nextInt(1_000_000));
                    return values.psetex(codeKey(userId), config.codeTtl().toMillis(), hash(userId, code))
                            .chain(() -> keys.del(attemptsKey(userId)))
                            .chain(() ->
                                    Panache.withTransaction(() -> notices.loginCode(userId, code, config.codeTtl())));
                });
    }

    /** Whether {@code code} is this account's current code; a right code is used up, and so is one tried too often. */
    public Uni<Boolean> verify(long userId, String code) {
        return counters.incr(attemptsKey(userId))
                .call(tries -> tries == 1
                        ? keys.pexpire(attemptsKey(userId), config.codeTtl().toMillis())
                        : Uni.createFrom().voidItem())
                .chain(tries -> tries > config.codeAttempts()
                        ? keys.del(codeKey(userId)).replaceWith(false)
                        : values.get(codeKey(userId)).chain(stored -> {
                            boolean right = stored != null
                                    && MessageDigest.isEqual(
                                            stored.getBytes(StandardCharsets.UTF_8),
                                            hash(userId, code).getBytes(StandardCharsets.UTF_8));
                            return right
                                    ? keys.del(codeKey(userId), attemptsKey(userId))
                                            .replaceWith(true)
                                    : Uni.createFrom().item(false);
                        }));
    }

    private static String hash(long userId, String code) {
        return KnownDevices.sha256(userId + ":" + code);
    }

    private static String codeKey(long userId) {
        return PREFIX + userId;
    }

    private static String attemptsKey(long userId) {
        return PREFIX + "tries:" + userId;
    }
}
