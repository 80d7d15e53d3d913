package com.sansam.chat.support;

import com.sansam.runtime.testing.PackagedService;
import com.sansam.runtime.testing.TestOtlpReceiver;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One replica of the packaged chat-gateway ({@code target/quarkus-app}) as its own process, for the tests
 * that need several replicas. All replicas share the database {@code sansam_e2e_chat} (the first one cleans
 * it), the test Redis database, their own fan-out channel and the RabbitMQ virtual host {@code sansam_e2e}.
 */
public final class GatewayProcess implements AutoCloseable {

    public static final String VHOST = System.getenv().getOrDefault("RABBITMQ_E2E_VHOST", "sansam_e2e");

    private final PackagedService service;

    private GatewayProcess(PackagedService service) {
        this.service = service;
    }

    public static GatewayProcess start(String name, boolean cleanDatabase) {
        PackagedService service = new PackagedService(
                "chat-gateway", Path.of("target", "quarkus-app", "quarkus-run.jar"), "gateway-" + name, 0);
        Map<String, String> env = new HashMap<>();
        env.put(
                "DB_URL",
                System.getenv().getOrDefault("DB_E2E_CHAT_URL", "postgresql://127.0.0.1:5432/sansam_e2e_chat"));
        env.put("REDIS_URL", RedisSessions.url());
        // its own virtual host: a packaged app another IT started may still consume from sansam_test
        env.put("RABBITMQ_VHOST", VHOST);
        env.put("CHAT_FANOUT_CHANNEL", "sansam:chat:fanout:e2e");
        env.put("QUARKUS_FLYWAY_CLEAN_DISABLED", "false");
        env.put("QUARKUS_FLYWAY_CLEAN_AT_START", Boolean.toString(cleanDatabase));
        env.put("QUARKUS_SHUTDOWN_TIMEOUT", "2s");
        env.putAll(TestOtlpReceiver.environment("gateway-" + name));
        service.start(env);
        return new GatewayProcess(service);
    }

    public URI baseUri() {
        return URI.create(service.baseUrl());
    }

    @Override
    public void close() {
        service.stop();
    }
}
