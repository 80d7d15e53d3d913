package com.sansam.runtime.testing;

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
 * A service of the platform run from its packaged jar (built earlier in the reactor, or by this module's own
 * {@code package} before its integration tests) as a separate process on loopback; its log goes to
 * {@code target/<name>.log} of the module whose tests run it.
 */
public final class PackagedService {

    private final String module;
    private final Path jar;
    private final String name;
    private Process process;
    private int port;

    /** Another module's service ({@code ../<module>/target/quarkus-app}), on {@code port} (0: any free port). */
    public PackagedService(String module, int port) {
        this(module, Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar"), module + "-e2e", port);
    }

    /** The service in {@code jar}, logging to {@code target/<name>.log}. */
    public PackagedService(String module, Path jar, String name, int port) {
        this.module = module;
        this.jar = jar.toAbsolutePath().normalize();
        this.name = name;
        this.port = port;
    }

    /** Starts it (if not running) with these environment variables and waits until it is ready. */
    public synchronized void start(Map<String, String> environment) {
        if (process != null && process.isAlive()) {
            return;
        }
        if (!Files.exists(jar)) {
            throw new IllegalStateException(
                    "The " + module + " is not built (" + jar + "): run ./mvnw verify from the root, "
                            + "or ./mvnw -pl src/messages,src/runtime," + module + " install -DskipTests first");
        }
        try {
            if (port == 0) {
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = socket.getLocalPort();
                }
            }
            ProcessBuilder builder = new ProcessBuilder(TestJvm.command("-jar", jar.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log()));
            builder.environment().putAll(environment);
            builder.environment().put("PORT", Integer.toString(port));
            process = builder.start();
            try {
                awaitReady();
            } catch (IllegalStateException notReady) {
                kill();
                throw notReady;
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the " + module, e);
        }
    }

    /** Stops it gracefully (SIGTERM), or kills it after 15 s. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
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
        return Path.of("target", name + ".log").toFile();
    }

    private void awaitReady() {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The " + module + " exited; see " + log().getAbsolutePath());
            }
            try {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
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
        throw new IllegalStateException("The " + module + " did not get ready in 60 s; see " + log().getAbsolutePath());
    }
}
