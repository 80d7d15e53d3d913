package com.sansam.commerce.order.service;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Marks each buyer's Idempotency-Key in Redis the first time an order request uses it (SET NX, kept a day). A request
 * whose key was never used cannot repeat an order already placed, so when it is refused (sold out at the gate, a
 * price changed) no database read is needed to look for that order: under a rush that is one read saved per refused
 * buyer. A key used before, or Redis not answering, goes the careful way (the database says whether the key placed
 * an order, and that order is the answer).
 */
@ApplicationScoped
public class IdempotencyKeys {

    private static final String PREFIX = "sansam:order-key:";
    /** How long a key is remembered: a client repeating a request later than this gets a fresh answer. */
    static final Duration KEPT = Duration.ofDays(1);

    private final ReactiveValueCommands<String, String> values;

    public IdempotencyKeys(ReactiveRedisDataSource redis) {
        this.values = redis.value(String.class);
    }

    /** True when this is certainly the key's first use by this buyer; false when it may be a repeat. */
    public Uni<Boolean> firstUse(long userId, String idempotencyKey) {
        // SET NX GET (Redis 7): answers the earlier mark when the key was used before
        return values.setGet(
                        PREFIX + userId + ":" + idempotencyKey,
                        "1",
                        new SetArgs().nx().ex(KEPT))
                .map(earlier -> earlier == null)
                .onFailure()
                .recoverWithItem(false);
    }
}
