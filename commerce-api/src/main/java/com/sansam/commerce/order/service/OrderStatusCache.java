package com.sansam.commerce.order.service;

import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderStatus;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Order status in Redis for the storefront's polling: written through after every committed transition;
 * reads fall back to the database when Redis misses or fails. The value carries the owner's id, so the
 * ownership check needs no database either.
 */
@ApplicationScoped
public class OrderStatusCache {

    private static final Logger LOG = Logger.getLogger(OrderStatusCache.class);
    private static final String PREFIX = "sansam:order-status:";
    private static final long TTL_SECONDS = 86_400;

    private final ReactiveRedisDataSource redis;

    public OrderStatusCache(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public record Entry(long userId, OrderStatus status) {
    }

    public Uni<Void> put(Order order) {
        return redis.value(String.class).setex(PREFIX + order.orderId, TTL_SECONDS, order.userId + ":" + order.status.name())
                .onFailure().invoke(e -> LOG.warnf("Order status not cached: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** The cached entry, or null on a miss or when Redis is unavailable. */
    public Uni<Entry> get(String orderId) {
        return redis.value(String.class).get(PREFIX + orderId)
                .map(value -> {
                    if (value == null) {
                        return null;
                    }
                    int colon = value.indexOf(':');
                    return new Entry(Long.parseLong(value.substring(0, colon)), OrderStatus.valueOf(value.substring(colon + 1)));
                })
                .onFailure().recoverWithNull();
    }
}
