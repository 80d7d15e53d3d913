package com.sansam.runtime.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sansam.messages.Envelope;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The broker-restart contract every consuming channel must meet: a backlog larger than the channel's prefetch is
 * published, RabbitMQ is stopped and started twice while the service works through it, and afterwards every
 * message was processed exactly once (its id in the inbox once, the effect counted by the caller), the queue is
 * empty and the service's health checks are UP. Runs inside a {@code @QuarkusTest} of the consuming service.
 */
public final class BrokerRestarts {

    private BrokerRestarts() {}

    /** Whether this machine lets the tests stop and start RabbitMQ (rabbitmqctl, as the broker's user). */
    public static boolean controllable() {
        return rabbitmqctl("status") == 0;
    }

    /**
     * Publishes the backlog, restarts the broker twice while it is consumed, then waits until every message is in
     * the consumer's inbox and the queue is drained; checks readiness and liveness are UP.
     */
    public static void backlogSurvivesTwoRestarts(
            String exchange, String consumer, String queue, List<Envelope> backlog) {
        backlogSurvivesTwoRestarts(exchange, consumer, List.of(queue), backlog);
    }

    /** The same for a consumer of several queues (a sharded queue's shards): all of them drained at the end. */
    public static void backlogSurvivesTwoRestarts(
            String exchange, String consumer, List<String> queues, List<Envelope> backlog) {
        try (TestBroker broker = new TestBroker()) {
            broker.publishAll(exchange, backlog);
        }
        for (int restart = 0; restart < 2; restart++) {
            sleep(200); // let the consumer take its prefetch, so deliveries are in flight when the broker goes
            assertEquals(0, rabbitmqctl("stop_app"), "rabbitmqctl stop_app");
            sleep(2000);
            assertEquals(0, rabbitmqctl("start_app"), "rabbitmqctl start_app");
            awaitBrokerPort();
        }
        List<UUID> ids = backlog.stream().map(Envelope::messageId).toList();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertEquals(
                        ids.size(), inboxCount(consumer, ids), "messages of the backlog in the inbox of " + consumer));
        for (String queue : queues) {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(
                            () -> assertEquals(0, queueDepth(queue), "messages left (ready or unacked) in " + queue));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        });
    }

    /** How many of these message ids the consumer recorded (each id is recorded at most once by design). */
    public static int inboxCount(String consumer, List<UUID> ids) throws Exception {
        try (Connection connection = database();
                PreparedStatement query = connection.prepareStatement(
                        "select count(*) from inbox where consumer = ? and message_id = any(?)")) {
            query.setString(1, consumer);
            query.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** A JDBC connection to the database of the service under test. */
    public static Connection database() throws java.sql.SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getOptionalValue("quarkus.datasource.username", String.class)
                        .orElse("postgres"),
                config.getOptionalValue("quarkus.datasource.password", String.class)
                        .orElse(""));
    }

    /** Ready plus unacknowledged messages of a queue in the test virtual host. */
    public static int queueDepth(String queue) throws IOException, InterruptedException {
        String vhost = ConfigProvider.getConfig().getValue("rabbitmq-virtual-host", String.class);
        Process process = new ProcessBuilder("rabbitmqctl", "-q", "list_queues", "-p", vhost, "name", "messages")
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        for (String line : output.split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length == 2 && columns[0].equals(queue)) {
                return Integer.parseInt(columns[1]);
            }
        }
        throw new AssertionError("Queue " + queue + " not found in " + vhost + ": " + output);
    }

    /** Runs {@code rabbitmqctl -q <command>}; answers its exit code (-1 when it could not run). */
    public static int rabbitmqctl(String command) {
        try {
            Process process = new ProcessBuilder("rabbitmqctl", "-q", command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static void awaitBrokerPort() {
        int port = Integer.parseInt(System.getenv().getOrDefault("RABBITMQ_PORT", "5672"));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try (Socket ignored = new Socket("127.0.0.1", port)) {
                        return true;
                    } catch (IOException down) {
                        return false;
                    }
                });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
