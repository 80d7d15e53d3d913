package com.sansam.commerce.support;

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
 * Another service of the platform, run from its packaged jar (built earlier in the reactor) as a separate process on
 * loopback, with its log under {@code commerce-api/target/<name>-e2e.log}.
 */
public final class PackagedService {

    private final String module;
    private Process process;
    private int port;

    public PackagedService(String module, int port) {
        this.module = module;
        this.port = port;
    }

    /** Starts it (if not running) with these environment variables and waits until it is ready. */
    public synchronized void start(Map<String, String> environment) {
        if (process != null && process.isAlive()) {
            return;
        }
        Path jar = Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("The " + module + " is not built (" + jar + "): run ./mvnw verify from the root, "
                    + "or ./mvnw -pl contracts," + module + " install -DskipTests first");
        }
        try {
            if (port == 0) {
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = socket.getLocalPort();
                }
            }
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log()));
            builder.environment().putAll(environment);
            builder.environment().put("PORT", Integer.toString(port));
            process = builder.start();
            awaitReady();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the " + module, e);
        }
    }

    /** Kills it at once (SIGKILL): no graceful shutdown, unacked messages go back to the queue. */
    public synchronized void kill() {
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

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private File log() {
        return Path.of("target", module + "-e2e.log").toFile();
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The " + module + " exited; see commerce-api/" + log());
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
        throw new IllegalStateException("The " + module + " did not get ready in 60 s; see commerce-api/" + log());
    }
}
