package com.sansam.commerce.order;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderStatus;
import com.sansam.commerce.order.service.OrderStatusCache;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The status cache against the test Redis: a placed order's first status, written without waiting, never wins. */
@QuarkusTest
class OrderStatusCacheTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    OrderStatusCache cache;

    @Test
    void aFirstStatusWrittenLateNeverReplacesALaterOne() {
        Order order = order(OrderStatus.STOCK_RESERVED);
        cache.put(order).await().atMost(WAIT);

        order.status = OrderStatus.PENDING; // the placing request's write, arriving after the stock-worker's outcome
        cache.putNew(order).await().atMost(WAIT);

        OrderStatusCache.Entry cached = cache.get(order.orderId).await().atMost(WAIT);
        assertEquals(OrderStatus.STOCK_RESERVED, cached.status());
        assertEquals(order.userId, cached.userId());
    }

    @Test
    void aFirstStatusIsCachedWhereThereIsNone() {
        Order order = order(OrderStatus.PENDING);
        cache.putNew(order).await().atMost(WAIT);

        OrderStatusCache.Entry cached = cache.get(order.orderId).await().atMost(WAIT);
        assertEquals(OrderStatus.PENDING, cached.status());
        assertEquals(order.userId, cached.userId());
    }

    private static Order order(OrderStatus status) {
        Order order = new Order();
        order.orderId = "ORD-CACHE-" + UUID.randomUUID();
        order.userId = 4_242L;
        order.status = status;
        return order;
    }
}
