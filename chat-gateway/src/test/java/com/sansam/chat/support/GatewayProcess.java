package com.sansam.chat.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One replica of the packaged chat-gateway ({@code target/quarkus-app}) as its own process, for the tests
 * that need several replicas. All replicas share the database {@code sansam_e2e_chat} (the first one cleans
 * it), the test Redis database, their own fan-out channel and the RabbitMQ virtual host {@code sansam_e2e}.
 */
public final class GatewayProcess implements AutoCloseable {

    public static final String VHOST = System.getenv().getOrDefault("RABBITMQ_E2E_VHOST", "sansam_e2e");

    private final Process process;
    private final int port;

    private GatewayProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static GatewayProcess start(String name, boolean cleanDatabase) {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("chat-gateway is not packaged (" + jar + "): run ./mvnw verify");
        }
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            File log = Path.of("target", "gateway-" + name + ".log").toFile();
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log));
            Map<String, String> env = builder.environment();
            env.put("PORT", Integer.toString(port));
            env.put("DB_URL", System.getenv().getOrDefault("DB_E2E_CHAT_URL", "postgresql://127.0.0.1:5432/sansam_e2e_chat"));
            env.put("REDIS_URL", RedisSessions.url());
            // its own virtual host: a packaged app another IT started may still consume from sansam_test
            env.put("RABBITMQ_VHOST", VHOST);
            env.put("CHAT_FANOUT_CHANNEL", "sansam:chat:fanout:e2e");
            env.put("QUARKUS_FLYWAY_CLEAN_DISABLED", "false");
            env.put("QUARKUS_FLYWAY_CLEAN_AT_START", Boolean.toString(cleanDatabase));
            env.put("QUARKUS_SHUTDOWN_TIMEOUT", "2s");
            GatewayProcess gateway = new GatewayProcess(builder.start(), port);
            gateway.awaitReady(log);
            return gateway;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start a chat-gateway replica", e);
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(15).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(File log) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The chat-gateway replica exited; see " + log);
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(baseUri().resolve("/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException ignored) {
                // not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("The chat-gateway replica did not get ready in 60 s; see " + log);
    }
}
