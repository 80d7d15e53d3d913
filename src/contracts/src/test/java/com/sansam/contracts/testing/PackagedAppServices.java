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
                // commerce-api's prod profile needs its partners' keys
                "sansam.toss.secret-key", "test_sk_local_simulator",
                "sansam.account.verification.link-secret", "packaged-app-test-email-link-secret-0123456789",
                "sansam.account.sms.api-key", "NCSPACKAGEDTEST",
                "sansam.account.sms.api-secret", "packaged-app-test-sms-secret");
    }

    @Override
    public void stop() {}
}
