package com.sansam.commerce.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderStatus;
import com.sansam.commerce.order.service.OrderStatusCache;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The status cache against the test Redis: writes land in any order (the first status is written without waiting, a
 * read that missed caches what it read), and the status of the later row version always wins.
 */
@QuarkusTest
class OrderStatusCacheTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    OrderStatusCache cache;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    com.sansam.commerce.order.config.OrderConfig config;

    @Test
    void aFirstStatusWrittenLateNeverReplacesALaterOne() {
        Order order = order(OrderStatus.STOCK_RESERVED);
        order.version = 1;
        cache.put(order).await().atMost(WAIT);

        order.status = OrderStatus.PENDING; // the placing request's write, arriving after the stock-worker's outcome
        order.version = 0;
        cache.putQuietly(order).await().atMost(WAIT);

        OrderStatusCache.Entry cached = cache.get(order.orderId).await().atMost(WAIT);
        assertEquals(OrderStatus.STOCK_RESERVED, cached.status());
        assertEquals(order.userId, cached.userId());
    }

    @Test
    void aFirstStatusIsCachedWhereThereIsNone() {
        Order order = order(OrderStatus.PENDING);
        cache.putQuietly(order).await().atMost(WAIT);

        OrderStatusCache.Entry cached = cache.get(order.orderId).await().atMost(WAIT);
        assertEquals(OrderStatus.PENDING, cached.status());
        assertEquals(order.userId, cached.userId());
    }

    @Test
    void aStatusReadBeforeADecisionAndCachedAfterItNeverReplacesIt() {
        Order read = order(OrderStatus.PENDING); // a status request missed the cache and read the database...
        Order decided = order(OrderStatus.STOCK_RESERVED);
        decided.orderId = read.orderId;
        decided.version = 1;
        cache.putAll(List.of(new OrderStatusCache.Status(decided.orderId, decided.userId, decided.status, 1)))
                .await()
                .atMost(WAIT); // ...the decision committed and was cached...
        cache.putQuietly(read).await().atMost(WAIT); // ...then the read's write arrived

        assertEquals(
                OrderStatus.STOCK_RESERVED,
                cache.get(read.orderId).await().atMost(WAIT).status());

        decided.status = OrderStatus.PAID; // a later transition replaces it
        decided.version = 2;
        cache.put(decided).await().atMost(WAIT);
        assertEquals(
                OrderStatus.PAID, cache.get(read.orderId).await().atMost(WAIT).status());
    }

    @Test
    void aQuietWriteWakesNobodyAndAChangeWakesItsWaiters() throws Exception {
        Order read = order(OrderStatus.PENDING); // cached by a read that missed: not a change
        Order decided = order(OrderStatus.STOCK_RESERVED);
        decided.version = 1;
        java.util.concurrent.CompletableFuture<OrderStatusCache.Entry> readWaiter =
                cache.nextChange(read.orderId, WAIT);
        java.util.concurrent.CompletableFuture<OrderStatusCache.Entry> decidedWaiter =
                cache.nextChange(decided.orderId, WAIT);

        cache.putQuietly(read).await().atMost(WAIT);
        cache.put(decided).await().atMost(WAIT);

        // announcements arrive in the order they were published: had the quiet write announced, it would be here
        OrderStatusCache.Entry told = decidedWaiter.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        assertEquals(OrderStatus.STOCK_RESERVED, told.status(), "the announcement carries the status");
        assertEquals(decided.userId, told.userId());
        assertEquals(false, readWaiter.isDone());
        readWaiter.cancel(false);
    }

    /**
     * A replica of the release before announces plain order ids: its waiters here wake without a status (and read
     * it); a status this release does not know wakes them the same way.
     */
    @Test
    void anAnnouncementWithoutAStatusWakesItsWaitersToReadIt() throws Exception {
        String plain = "ORD-CACHE-" + UUID.randomUUID();
        String unknown = "ORD-CACHE-" + UUID.randomUUID();
        var plainWaiter = cache.nextChange(plain, WAIT);
        var unknownWaiter = cache.nextChange(unknown, WAIT);
        redis.pubsub(String.class)
                .publish(config.statusChannel(), plain + "," + unknown + ":4242:SHIPPED_BY_DRONE:3")
                .await()
                .atMost(WAIT);
        assertNull(plainWaiter.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        assertNull(unknownWaiter.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    @Test
    void anEntryCachedBeforeVersionsIsReplaced() {
        Order order = order(OrderStatus.STOCK_RESERVED);
        redis.value(String.class)
                .set("sansam:order-status:" + order.orderId, order.userId + ":PENDING")
                .await()
                .atMost(WAIT);
        cache.put(order).await().atMost(WAIT);
        assertEquals(
                OrderStatus.STOCK_RESERVED,
                cache.get(order.orderId).await().atMost(WAIT).status());
    }

    private static Order order(OrderStatus status) {
        Order order = new Order();
        order.orderId = "ORD-CACHE-" + UUID.randomUUID();
        order.userId = 4_242L;
        order.status = status;
        return order;
    }
}
