package com.sansam.commerce.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

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
 * Runs the real, packaged stock-worker as a separate process for commerce-api's tests (it is built earlier in
 * the reactor: {@code ./mvnw verify} from the root, or {@code ./mvnw -pl stock-worker package} first). It uses
 * its own database ({@code sansam_e2e_stock}, cleaned at start) and the tests' RabbitMQ virtual host. Tests may
 * {@link #kill()} and {@link #startProcess()} it to prove recovery.
 */
public class StockWorkerProcess implements QuarkusTestResourceLifecycleManager {

    private static Process process;
    private static int port;
    private static boolean clean = true;

    @Override
    public Map<String, String> start() {
        dropLeftoversOfAnEarlierRun();
        startProcess();
        return Map.of();
    }

    /**
     * Both databases start clean, so messages an earlier run left in the queues (a killed stock-worker's backlog)
     * refer to nothing: drop them rather than make this run's first test wait behind them.
     */
    private static void dropLeftoversOfAnEarlierRun() {
        try (com.sansam.contracts.testing.TestBroker broker = new com.sansam.contracts.testing.TestBroker()) {
            for (String queue : java.util.List.of("stock-worker.commands", "commerce-api.stock-events")) {
                try {
                    broker.purge(queue);
                } catch (IllegalStateException notDeclaredYet) {
                    return; // a first run on this machine: nothing to drop (and the channel is closed now)
                }
            }
        }
    }

    @Override
    public void stop() {
        kill();
    }

    public static synchronized void startProcess() {
        if (process != null && process.isAlive()) {
            return;
        }
        Path jar = Path.of("..", "stock-worker", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("The stock-worker is not built (" + jar + "): run ./mvnw verify from the root, "
                    + "or ./mvnw -pl contracts,stock-worker install -DskipTests first");
        }
        try {
            if (port == 0) {
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = socket.getLocalPort();
                }
            }
            File log = Path.of("target", "stock-worker-e2e.log").toFile();
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
            Map<String, String> env = builder.environment();
            env.put("PORT", Integer.toString(port));
            env.put("DB_URL", System.getenv().getOrDefault("DB_E2E_STOCK_URL", "postgresql://127.0.0.1:5432/sansam_e2e_stock"));
            env.put("REDIS_URL", System.getenv().getOrDefault("REDIS_TEST_URL", "redis://127.0.0.1:6379/1"));
            env.put("RABBITMQ_VHOST", System.getenv().getOrDefault("RABBITMQ_TEST_VHOST", "sansam_test"));
            env.put("QUARKUS_FLYWAY_CLEAN_DISABLED", "false");
            env.put("QUARKUS_FLYWAY_CLEAN_AT_START", Boolean.toString(clean));
            env.put("QUARKUS_SCHEDULER_ENABLED", "true");
            clean = false; // a restart keeps the data, as a real restart would
            process = builder.start();
            awaitReady();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the stock-worker", e);
        }
    }

    /** Kills it at once (SIGKILL): no graceful shutdown, unacked messages go back to the queue. */
    public static synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    public static String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private static void awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The stock-worker exited; see commerce-api/target/stock-worker-e2e.log");
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException ignored) {
                // not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("The stock-worker did not get ready in 60 s; see commerce-api/target/stock-worker-e2e.log");
    }
}
