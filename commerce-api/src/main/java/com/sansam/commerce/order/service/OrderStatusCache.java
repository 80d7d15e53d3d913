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
 * Redis misses or fails. The value carries the owner's id, so the ownership check needs no database either, and the
 * order's row version: writes arrive in any order (the first status is cached without waiting, a read that missed
 * caches what it read, and a decision may land in between), and a write never replaces a status of a later version.
 * Every change is also announced on {@code sansam.order.status-channel}, so a buyer waiting for the outcome
 * (long-polling the status) is answered the moment it changes, on whichever replica they wait; the announcement
 * carries the status, so the answer needs no read.
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
    private final Map<String, Set<CompletableFuture<Entry>>> waiters = new ConcurrentHashMap<>();

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

    /**
     * An announcement: {@code orderId:userId:STATUS:version} per order, and (for the replicas of the release before,
     * which read order ids only) the plain order ids. A waiter gets the status announced, or null when only the id came
     * (it then reads the status).
     */
    private void changed(String announcement) {
        Map<String, Entry> told = new java.util.HashMap<>();
        List<String> named = new java.util.ArrayList<>();
        for (String token : announcement.split(",")) {
            String[] parts = token.split(":");
            Entry entry = parse(parts);
            if (entry == null) {
                named.add(parts[0]);
            } else {
                told.put(parts[0], entry);
            }
        }
        told.forEach(this::wake);
        named.forEach(orderId -> wake(orderId, null));
    }

    private void wake(String orderId, Entry entry) {
        Set<CompletableFuture<Entry>> waiting = waiters.remove(orderId);
        if (waiting != null) {
            waiting.forEach(waiter -> waiter.complete(entry));
        }
    }

    /** {@code orderId:userId:STATUS:version}, split at its colons, as an entry; null for anything else (a plain id). */
    private static Entry parse(String[] parts) {
        if (parts.length != 4) {
            return null;
        }
        try {
            return new Entry(Long.parseLong(parts[1]), OrderStatus.valueOf(parts[2]));
        } catch (IllegalArgumentException unknown) { // a status of a later release: its waiter reads it
            return null;
        }
    }

    /**
     * A future completed with the order's status when it is next announced (null when the announcement named the order
     * only: read it then), or failed with a timeout after {@code timeout}. Registered at once: read the status after
     * calling this, so no change can slip in between.
     */
    public CompletableFuture<Entry> nextChange(String orderId, Duration timeout) {
        CompletableFuture<Entry> waiter = new CompletableFuture<>();
        waiters.computeIfAbsent(orderId, id -> ConcurrentHashMap.newKeySet()).add(waiter);
        waiter.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ok, failure) -> {
            Set<CompletableFuture<Entry>> waiting = waiters.get(orderId);
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

    /**
     * Sets each KEYS[i] to ARGV[3i-2] ("userId:STATUS:version") unless it holds a version at least ARGV[3i-1]; ARGV[3i]
     * is its time to live in seconds. Answers how many it set. An entry without a version (written before versions)
     * is always replaced.
     */
    private static final String PUT_NEWER = """
            local set = 0
            for i, key in ipairs(KEYS) do
              local current = redis.call('GET', key)
              local version = current and tonumber(string.match(current, ':[A-Z_]+:(%d+)$'))
              if not version or version < tonumber(ARGV[3 * i - 1]) then
                redis.call('SET', key, ARGV[3 * i - 2], 'EX', ARGV[3 * i])
                set = set + 1
              end
            end
            return set""";

    public Uni<Void> put(Order order) {
        return putAll(List.of(Status.of(order)));
    }

    /**
     * Caches a status without announcing it: a new order's first status (cached without waiting, the placing request
     * does not wait for it), or a status a read that missed the cache found in the database. Neither is a change
     * anybody waits for, so waking the waiters (on every replica) would only make them read again. A later status of
     * the order that got there first is kept.
     */
    public Uni<Void> putQuietly(Order order) {
        return lowLevel.send(putNewer(List.of(Status.of(order))))
                .onFailure()
                .invoke(e -> LOG.warnf("Order status not cached: %s", e.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** A committed status to cache, of the order's row {@code version}. */
    public record Status(String orderId, long userId, OrderStatus status, long version) {

        static Status of(Order order) {
            return new Status(order.orderId, order.userId, order.status, order.version);
        }
    }

    /**
     * Caches the statuses (each unless a later version is there) and announces them with one message (comma-separated:
     * each order's {@code orderId:userId:STATUS:version}, then the plain ids that replicas of the release before read;
     * drop those once none runs), in one pipelined request to Redis: a batch of stock events decides many orders at
     * once.
     */
    public Uni<Void> putAll(List<Status> statuses) {
        if (statuses.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Request> requests = List.of(
                putNewer(statuses), Request.cmd(Command.PUBLISH).arg(channel).arg(announcement(statuses)));
        return lowLevel.batch(requests)
                .onFailure()
                .invoke(e -> LOG.warnf("Order status not cached: %s", e.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    static String announcement(List<Status> statuses) {
        return java.util.stream.Stream.concat(
                        statuses.stream()
                                .map(status -> status.orderId() + ":" + status.userId() + ":"
                                        + status.status().name() + ":" + status.version()),
                        statuses.stream().map(Status::orderId))
                .collect(Collectors.joining(","));
    }

    private static Request putNewer(List<Status> statuses) {
        Request eval = Request.cmd(Command.EVAL).arg(PUT_NEWER).arg(statuses.size());
        statuses.forEach(status -> eval.arg(PREFIX + status.orderId()));
        statuses.forEach(
                status -> eval.arg(status.userId() + ":" + status.status().name() + ":" + status.version())
                        .arg(status.version())
                        .arg(TTL_SECONDS));
        return eval;
    }

    /** The cached entry, or null on a miss or when Redis is unavailable. */
    public Uni<Entry> get(String orderId) {
        return redis.value(String.class)
                .get(PREFIX + orderId)
                .map(value -> {
                    if (value == null) {
                        return null;
                    }
                    String[] parts = value.split(":"); // userId:STATUS[:version]
                    return new Entry(Long.parseLong(parts[0]), OrderStatus.valueOf(parts[1]));
                })
                .onFailure()
                .recoverWithNull();
    }
}
