package com.sansam.contracts.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * For {@code @QuarkusIntegrationTest}s: the packaged application runs with its production profile, so this
 * points it (as system properties on the launched jar or native executable) at the tests' own database, Redis
 * database and RabbitMQ virtual host, never at those of a local run. Init arg {@code database}: the database
 * name (cleaned at start).
 */
public class PackagedAppServices implements QuarkusTestResourceLifecycleManager {

    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
    }

    @Override
    public Map<String, String> start() {
        new CleanRedis().start();
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + database,
                "quarkus.redis.hosts", System.getenv().getOrDefault("REDIS_TEST_URL", "redis://127.0.0.1:6379/1"),
                "rabbitmq-virtual-host", System.getenv().getOrDefault("RABBITMQ_TEST_VHOST", "sansam_test"),
                "quarkus.flyway.clean-disabled", "false",
                "quarkus.flyway.clean-at-start", "true",
                "quarkus.shutdown.timeout", "2s",
                "sansam.toss.secret-key", "test_sk_local_simulator"); // commerce-api's prod profile needs one
    }

    @Override
    public void stop() {}
}
