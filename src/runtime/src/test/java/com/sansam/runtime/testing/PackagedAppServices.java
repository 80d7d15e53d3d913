package com.sansam.runtime.testing;

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
        return Map.ofEntries(
                Map.entry("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + database),
                Map.entry(
                        "quarkus.redis.hosts",
                        System.getenv().getOrDefault("REDIS_TEST_URL", "redis://127.0.0.1:6379/1")),
                Map.entry("rabbitmq-virtual-host", System.getenv().getOrDefault("RABBITMQ_TEST_VHOST", "sansam_test")),
                Map.entry("quarkus.flyway.clean-disabled", "false"),
                Map.entry("quarkus.flyway.clean-at-start", "true"),
                Map.entry("quarkus.shutdown.timeout", "2s"),
                // commerce-api's prod profile needs its partners' keys
                Map.entry("sansam.toss.secret-key", "test_sk_local_simulator"),
                Map.entry("sansam.account.verification.link-secret", "packaged-app-test-email-link-secret-0123456789"),
                Map.entry("sansam.account.sms.api-key", "NCSPACKAGEDTEST"),
                Map.entry("sansam.account.sms.api-secret", "packaged-app-test-sms-secret"),
                Map.entry("sansam.deals.draw-seal-key", "packaged-app-test-draw-seal-key-0123456789"));
    }

    @Override
    public void stop() {}
}
