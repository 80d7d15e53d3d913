package com.sansam.runtime.inbox;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The runtime started on its own, against the local PostgreSQL database the preparation script makes for this module
 * (no application.properties: the services' tests put this module's test jar on their class path).
 */
public class InboxTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        String port = System.getenv().getOrDefault("PGPORT", "5432");
        String url = "postgresql://" + host + ":" + port + "/sansam_platform_test";
        return Map.ofEntries(
                Map.entry("quarkus.devservices.enabled", "false"),
                Map.entry("quarkus.http.test-port", "0"),
                Map.entry("quarkus.datasource.db-kind", "postgresql"),
                Map.entry("quarkus.datasource.username", System.getenv().getOrDefault("PGUSER", "postgres")),
                Map.entry("quarkus.datasource.reactive.url", url),
                Map.entry("quarkus.datasource.jdbc.url", "jdbc:" + url),
                Map.entry("quarkus.flyway.migrate-at-start", "true"),
                Map.entry("quarkus.flyway.clean-disabled", "false"),
                Map.entry("quarkus.flyway.clean-at-start", "true"),
                Map.entry("quarkus.flyway.locations", "db/messaging"),
                Map.entry("quarkus.redis.hosts", "redis://127.0.0.1:6379/1"),
                Map.entry("rabbitmq-virtual-host", "sansam_platform_test"),
                Map.entry("sansam.outbox.enabled", "false"),
                Map.entry("sansam.outbox.bundle-size", "64"),
                Map.entry("sansam.inbox.max-attempts", "3"),
                Map.entry("sansam.inbox.initial-backoff", "PT0.01S"),
                Map.entry("sansam.inbox.max-backoff", "PT0.02S"));
    }
}
