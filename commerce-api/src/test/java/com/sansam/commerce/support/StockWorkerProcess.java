package com.sansam.commerce.support;

import com.sansam.runtime.testing.PackagedService;
import com.sansam.runtime.testing.TestOtlpReceiver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Runs the real, packaged stock-worker as a separate process for commerce-api's tests (it is built earlier in
 * the reactor: {@code ./mvnw verify} from the root, or {@code ./mvnw -pl stock-worker package} first). It uses
 * its own database ({@code sansam_e2e_stock}, cleaned at start) and the tests' RabbitMQ virtual host. Tests may
 * {@link #kill()} and {@link #startProcess()} it to prove recovery.
 */
public class StockWorkerProcess implements QuarkusTestResourceLifecycleManager {

    private static final PackagedService SERVICE = new PackagedService("stock-worker", 0);
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
        try (com.sansam.runtime.testing.TestBroker broker = new com.sansam.runtime.testing.TestBroker()) {
            java.util.List<String> queues = new java.util.ArrayList<>(
                    com.sansam.runtime.broker.Topology.route(com.sansam.messages.Messages.STOCK_COMMANDS_EXCHANGE)
                            .queues());
            queues.add("commerce-api.stock-events");
            for (String queue : queues) {
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
        Map<String, String> env = new java.util.HashMap<>();
        env.put(
                "DB_URL",
                System.getenv().getOrDefault("DB_E2E_STOCK_URL", "postgresql://127.0.0.1:5432/sansam_e2e_stock"));
        env.put("REDIS_URL", System.getenv().getOrDefault("REDIS_TEST_URL", "redis://127.0.0.1:6379/1"));
        env.put("RABBITMQ_VHOST", System.getenv().getOrDefault("RABBITMQ_TEST_VHOST", "sansam_test"));
        env.put("QUARKUS_FLYWAY_CLEAN_DISABLED", "false");
        env.put("QUARKUS_FLYWAY_CLEAN_AT_START", Boolean.toString(clean));
        env.put("QUARKUS_SCHEDULER_ENABLED", "true");
        env.putAll(TestOtlpReceiver.environment("stock-worker")); // its spans go where commerce-api's go
        clean = false; // a restart keeps the data, as a real restart would
        SERVICE.start(env);
    }

    /** Kills it at once (SIGKILL): no graceful shutdown, unacked messages go back to the queue. */
    public static void kill() {
        SERVICE.kill();
    }

    public static String baseUrl() {
        return SERVICE.baseUrl();
    }
}
