package com.sansam.commerce.order.service;

import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The order figures operations watch (deploy/observability's dashboard and alerts), on the registry Quarkus exports
 * at {@code /q/metrics}:
 * <ul>
 *   <li>{@code sansam_orders_status_total{status}}: orders that reached each status (counted when the change is made,
 *   in the transaction that makes it; a transaction rolled back after it, rare, still counts);</li>
 *   <li>{@code sansam_order_placement_seconds}: placing an order (request read → committed), with its histogram;</li>
 *   <li>{@code sansam_order_decision_seconds{status}}: placed → STOCK_RESERVED or REJECTED, the wait a buyer sees;</li>
 *   <li>{@code sansam_order_step_seconds{step}}: the steps of placing one (the Idempotency-Key's first use, the lines,
 *   a deal's reads and its transaction, the status written for the buyer to poll), to tell where an order's time
 *   goes.</li>
 *   <li>{@code sansam_order_status_reads_total{source}}: status reads answered from Redis ({@code cache}) or, on a
 *   miss or while Redis is down, from the {@code database}.</li>
 * </ul>
 */
public final class OrderMeters {

    private static final Map<OrderStatus, Counter> REACHED = new EnumMap<>(OrderStatus.class);
    private static final Map<OrderStatus, Timer> DECIDED = new EnumMap<>(OrderStatus.class);
    private static final Timer PLACEMENT = Timer.builder("sansam.order.placement")
            .description("Placing an order, from the request to its commit")
            .publishPercentileHistogram()
            .register(Metrics.globalRegistry);

    static {
        for (OrderStatus status : OrderStatus.values()) {
            REACHED.put(
                    status,
                    Counter.builder("sansam.orders.status")
                            .tag("status", status.name())
                            .description("Orders that reached the status")
                            .register(Metrics.globalRegistry));
        }
        for (OrderStatus status : new OrderStatus[] {OrderStatus.STOCK_RESERVED, OrderStatus.REJECTED}) {
            DECIDED.put(
                    status,
                    Timer.builder("sansam.order.decision")
                            .tag("status", status.name())
                            .description("From placing an order to the stock-worker's decision")
                            .publishPercentileHistogram()
                            .register(Metrics.globalRegistry));
        }
    }

    private static final Counter STATUS_FROM_CACHE = statusReads("cache");
    private static final Counter STATUS_FROM_DATABASE = statusReads("database");

    private static Counter statusReads(String source) {
        return Counter.builder("sansam.order.status.reads")
                .tag("source", source)
                .description("Order status reads, by where the answer came from")
                .register(Metrics.globalRegistry);
    }

    private static final Map<String, Timer> STEPS = new java.util.concurrent.ConcurrentHashMap<>();

    private OrderMeters() {}

    /** Times one step of placing an order, from its subscription to its end (success or failure). */
    public static <T> Uni<T> step(String step, Uni<T> work) {
        Timer timer = STEPS.computeIfAbsent(
                step,
                name -> Timer.builder("sansam.order.step")
                        .tag("step", name)
                        .description("One step of placing an order")
                        .publishPercentileHistogram()
                        .register(Metrics.globalRegistry));
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return work.onTermination().invoke(() -> timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
        });
    }

    /** Moves the order to {@code next} (or answers 409 and changes nothing, {@link Order#transition}) and counts it. */
    public static void transition(Order order, OrderStatus next) {
        order.transition(next);
        reached(next);
    }

    public static void reached(OrderStatus status) {
        REACHED.get(status).increment();
    }

    /** A status read answered from the cache (true) or from the database. */
    public static void statusRead(boolean cached) {
        (cached ? STATUS_FROM_CACHE : STATUS_FROM_DATABASE).increment();
    }

    public static void placed(Duration took) {
        PLACEMENT.record(took);
        reached(OrderStatus.PENDING);
    }

    /** A reservation outcome: the order reached {@code status} this long after it was placed. */
    public static void decided(OrderStatus status, Duration afterPlacing) {
        reached(status);
        DECIDED.get(status).record(afterPlacing);
    }
}
