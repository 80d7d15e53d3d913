package com.sansam.commerce.health;

import io.quarkus.redis.client.RedisClientName;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of commerce-api's two Redis clients, in place of Quarkus' own Redis check
 * ({@code quarkus.redis.health.enabled=false}). That one pings every client into one answer and, in 3.33, a client
 * that answers after one that failed sets it back to UP: whether a Redis outage shows depends on the order it meets
 * the clients in. Here each client has its own check, with its own rule:
 * <ul>
 *   <li>sessions, login throttles and rate limits (REDIS_URL): without it nobody can sign in, so DOWN takes the pod
 *       out of traffic;</li>
 *   <li>the catalogue cache (REDIS_CACHE_URL, its own Redis in {@code deploy/}): while it is unreachable the catalogue
 *       answers from PostgreSQL ({@code CatalogCache}), so the check stays UP and only says {@code unreachable} in its
 *       data — a cache outage costs speed, never the shop. {@code sansam_catalog_cache_failures_total} counts the
 *       calls that failed.</li>
 * </ul>
 */
@ApplicationScoped
public class RedisHealth {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Produces
    @Readiness
    AsyncHealthCheck sessions(Redis redis) {
        return () -> ping(redis, "Redis (sessions)", true);
    }

    @Produces
    @Readiness
    AsyncHealthCheck catalogueCache(@RedisClientName("cache") Redis cache) {
        return () -> ping(cache, "Redis (catalogue cache)", false);
    }

    /** PING with a timeout; {@code critical}: DOWN when it fails, else UP with what failed as data. */
    static Uni<HealthCheckResponse> ping(Redis redis, String name, boolean critical) {
        return redis.send(Request.cmd(Command.PING))
                .ifNoItem()
                .after(TIMEOUT)
                .fail()
                .map(reply -> HealthCheckResponse.named(name)
                        .up()
                        .withData("redis", "reachable")
                        .build())
                .onFailure()
                .recoverWithItem(failure -> HealthCheckResponse.named(name)
                        .status(!critical)
                        .withData("redis", "unreachable: " + failure)
                        .build());
    }
}
