package com.sansam.commerce.order.service;

import com.sansam.commerce.order.config.OrderConfig;
import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderStatus;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Order status in Redis: written through after every committed transition; reads fall back to the database when
 * Redis misses or fails. The value carries the owner's id, so the ownership check needs no database either.
 * Every write is also announced on {@code sansam.order.status-channel}, so a buyer waiting for the outcome
 * (long-polling the status) is answered the moment it changes, on whichever replica they wait.
 */
@ApplicationScoped
public class OrderStatusCache {

    private static final Logger LOG = Logger.getLogger(OrderStatusCache.class);
    private static final String PREFIX = "sansam:order-status:";
    private static final long TTL_SECONDS = 86_400;

    private final ReactiveRedisDataSource redis;
    private final Redis lowLevel;
    private final String channel;
    /** Waiters on this replica, by order id. */
    private final Map<String, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();

    public OrderStatusCache(ReactiveRedisDataSource redis, Redis lowLevel, OrderConfig config) {
        this.redis = redis;
        this.lowLevel = lowLevel;
        this.channel = config.statusChannel();
    }

    void listen(@Observes StartupEvent event) {
        redis.pubsub(String.class)
                .subscribe(channel)
                .onFailure()
                .invoke(e -> LOG.warnf("Order status subscription lost (%s); resubscribing", e.toString()))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .indefinitely()
                .subscribe()
                .with(this::changed);
    }

    private void changed(String orderIds) {
        for (String orderId : orderIds.split(",")) {
            Set<CompletableFuture<Void>> waiting = waiters.remove(orderId);
            if (waiting != null) {
                waiting.forEach(waiter -> waiter.complete(null));
            }
        }
    }

    /**
     * A future completed when the order's status is next announced (or failed with a timeout after
     * {@code timeout}). Registered at once: read the status after calling this, so no change can slip in between.
     */
    public CompletableFuture<Void> nextChange(String orderId, Duration timeout) {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        waiters.computeIfAbsent(orderId, id -> ConcurrentHashMap.newKeySet()).add(waiter);
        waiter.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ok, failure) -> {
            Set<CompletableFuture<Void>> waiting = waiters.get(orderId);
            if (waiting != null) {
                waiting.remove(waiter);
                if (waiting.isEmpty()) {
                    waiters.remove(orderId, waiting);
                }
            }
        });
        return waiter;
    }

    public record Entry(long userId, OrderStatus status) {}

    public Uni<Void> put(Order order) {
        return putAll(List.of(new Status(order.orderId, order.userId, order.status)));
    }

    /**
     * Caches a new order's first status only where nothing is cached yet ({@code SET NX}): it may be written after a
     * later status of the order (the placing request does not wait for it), and never replaces one. Nobody waits for
     * a first status, so nothing is announced.
     */
    public Uni<Void> putNew(Order order) {
        return lowLevel.send(Request.cmd(Command.SET)
                        .arg(PREFIX + order.orderId)
                        .arg(order.userId + ":" + order.status.name())
                        .arg("NX")
                        .arg("EX")
                        .arg(TTL_SECONDS))
                .onFailure()
                .invoke(e -> LOG.warnf("Order status not cached: %s", e.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** A committed status to cache. */
    public record Status(String orderId, long userId, OrderStatus status) {}

    /**
     * Caches the statuses and announces them with one message (the order ids, comma-separated), all in one
     * pipelined request to Redis: a batch of stock events decides many orders at once.
     */
    public Uni<Void> putAll(List<Status> statuses) {
        if (statuses.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Request> requests = new java.util.ArrayList<>();
        statuses.forEach(status -> requests.add(Request.cmd(Command.SETEX)
                .arg(PREFIX + status.orderId())
                .arg(TTL_SECONDS)
                .arg(status.userId() + ":" + status.status().name())));
        requests.add(Request.cmd(Command.PUBLISH)
                .arg(channel)
                .arg(statuses.stream().map(Status::orderId).collect(Collectors.joining(","))));
        return lowLevel.batch(requests)
                .onFailure()
                .invoke(e -> LOG.warnf("Order status not cached: %s", e.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** The cached entry, or null on a miss or when Redis is unavailable. */
    public Uni<Entry> get(String orderId) {
        return redis.value(String.class)
                .get(PREFIX + orderId)
                .map(value -> {
                    if (value == null) {
                        return null;
                    }
                    int colon = value.indexOf(':');
                    return new Entry(
                            Long.parseLong(value.substring(0, colon)), OrderStatus.valueOf(value.substring(colon + 1)));
                })
                .onFailure()
                .recoverWithNull();
    }
}
