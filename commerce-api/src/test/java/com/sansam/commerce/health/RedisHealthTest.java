package com.sansam.commerce.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The two readiness answers against the real Redis and against a port where nothing listens (plain JUnit). */
class RedisHealthTest {

    private static final Vertx VERTX = Vertx.vertx();
    private static final String REDIS = System.getenv().getOrDefault("REDIS_TEST_URL", "redis://127.0.0.1:6379/1");

    @AfterAll
    static void close() {
        VERTX.closeAndAwait();
    }

    @Test
    void aReachableRedisIsUp() {
        HealthCheckResponse sessions = check(REDIS, true);
        assertEquals(HealthCheckResponse.Status.UP, sessions.getStatus());
        assertEquals("reachable", sessions.getData().orElseThrow().get("redis"));
    }

    @Test
    void theSessionsRedisDownTakesThePodOutOfTraffic() {
        HealthCheckResponse sessions = check("redis://127.0.0.1:1", true);
        assertEquals(HealthCheckResponse.Status.DOWN, sessions.getStatus());
        assertTrue(sessions.getData().orElseThrow().get("redis").toString().startsWith("unreachable"));
    }

    @Test
    void theCacheRedisDownIsReportedButKeepsThePodReady() {
        HealthCheckResponse cache = check("redis://127.0.0.1:1", false);
        assertEquals(HealthCheckResponse.Status.UP, cache.getStatus());
        assertTrue(cache.getData().orElseThrow().get("redis").toString().startsWith("unreachable"));
    }

    private static HealthCheckResponse check(String url, boolean critical) {
        Redis redis = Redis.createClient(VERTX, new RedisOptions().setConnectionString(url));
        try {
            return RedisHealth.ping(redis, "Redis", critical).await().atMost(Duration.ofSeconds(10));
        } finally {
            redis.close();
        }
    }
}
