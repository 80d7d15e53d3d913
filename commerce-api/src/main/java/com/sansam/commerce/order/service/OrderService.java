package com.sansam.commerce.order.service;

import com.sansam.commerce.order.config.OrderConfig;
import com.sansam.commerce.order.mapping.OrderMapper;
import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderDtos.OrderPage;
import com.sansam.commerce.order.model.OrderDtos.OrderView;
import com.sansam.commerce.order.model.OrderDtos.StatusView;
import com.sansam.commerce.order.model.OrderLine;
import com.sansam.commerce.order.model.OrderStatus;
import com.sansam.runtime.problem.Refusal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** Reading orders (placing them is {@link OrderPlacement}, cancelling and discarding them {@link CancelService}). */
@ApplicationScoped
public class OrderService {

    private final OrderStatusCache statusCache;
    private final OrderConfig config;

    public OrderService(OrderStatusCache statusCache, OrderConfig config) {
        this.statusCache = statusCache;
        this.config = config;
    }

    /** The order placed with this Idempotency-Key by the user, or null. */
    public Uni<OrderView> byIdempotencyKey(long userId, String idempotencyKey) {
        return Panache.withSession(
                () -> Order.<Order>find("userId = ?1 and idempotencyKey = ?2", userId, idempotencyKey)
                        .firstResult()
                        .chain(order -> order == null ? Uni.createFrom().nullItem() : view(order)));
    }

    public Uni<OrderView> get(long userId, boolean admin, String orderId) {
        return Panache.withSession(() -> visible(userId, admin, orderId).chain(this::view));
    }

    /**
     * Like {@link #status(long, boolean, String)}, but while the status is {@code waitWhile} the answer waits (at
     * most {@code wait}) for it to change: a buyer learns the outcome of an order the moment it is decided, with
     * one request instead of polling.
     */
    public Uni<StatusView> awaitStatus(
            long userId, boolean admin, String orderId, OrderStatus waitWhile, Duration wait) {
        if (wait.isNegative() || wait.compareTo(config.maxStatusWait()) > 0) {
            return Uni.createFrom()
                    .failure(Refusal.invalid(
                            "wait",
                            "wait must be 0 to " + config.maxStatusWait().toSeconds() + " seconds"));
        }
        return status(userId, admin, orderId).chain(now -> {
            if (waitWhile == null || now.status() != waitWhile || wait.isZero()) {
                return Uni.createFrom().item(now);
            }
            // first register, then look again
            CompletableFuture<OrderStatusCache.Entry> changed = statusCache.nextChange(orderId, wait);
            return status(userId, admin, orderId)
                    .chain(again -> again.status() != waitWhile
                            ? Uni.createFrom().item(again).invoke(() -> changed.cancel(false))
                            : Uni.createFrom()
                                    .completionStage(changed)
                                    .onFailure(java.util.concurrent.TimeoutException.class)
                                    .recoverWithNull()
                                    .chain(told -> announcedOrRead(userId, admin, orderId, told)));
        });
    }

    /**
     * A wait for the outcome of the order {@code orderId} that is about to be placed, registered now: what a POST with
     * {@code Prefer: wait=N} (RFC 7240) asks for, so that a buyer learns the outcome with one request instead of two.
     * The wait is capped like a status request's.
     */
    public Decision decision(String orderId, Duration wait) {
        Duration capped = wait.compareTo(config.maxStatusWait()) > 0 ? config.maxStatusWait() : wait;
        return new Decision(orderId, statusCache.nextChange(orderId, capped));
    }

    /** See {@link #decision}. */
    public final class Decision {
        private final String orderId;
        private final CompletableFuture<OrderStatusCache.Entry> changed;

        private Decision(String orderId, CompletableFuture<OrderStatusCache.Entry> changed) {
            this.orderId = orderId;
            this.changed = changed;
        }

        /** The order placed, once decided or when the wait is over; another order (a repeated key's) as it is now. */
        public Uni<OrderView> of(long userId, OrderView placed) {
            if (placed.status() != OrderStatus.PENDING || !placed.orderId().equals(orderId)) {
                cancel();
                return Uni.createFrom().item(placed);
            }
            return Uni.createFrom()
                    .completionStage(changed)
                    .onFailure(java.util.concurrent.TimeoutException.class)
                    .recoverWithNull()
                    .chain(told -> announcedOrRead(userId, false, orderId, told))
                    .map(now -> OrderMapper.withStatus(placed, now.status()));
        }

        public void cancel() {
            changed.cancel(false);
        }
    }

    /** Served from Redis; the database answers when Redis misses or is down. */
    public Uni<StatusView> status(long userId, boolean admin, String orderId) {
        return statusCache.get(orderId).chain(entry -> {
            OrderMeters.statusRead(entry != null);
            if (entry != null) {
                return Uni.createFrom().item(shown(userId, admin, orderId, entry));
            }
            return Panache.withSession(() -> visible(userId, admin, orderId))
                    .call(statusCache::putQuietly)
                    .map(order -> new StatusView(order.orderId, order.status));
        });
    }

    /** The status an announcement carried; read when it carried none (or nothing came in time: {@code told} null). */
    private Uni<StatusView> announcedOrRead(long userId, boolean admin, String orderId, OrderStatusCache.Entry told) {
        return told == null
                ? status(userId, admin, orderId)
                : Uni.createFrom().item(() -> shown(userId, admin, orderId, told));
    }

    /** A cached or announced status, for its owner or an admin only. */
    private static StatusView shown(long userId, boolean admin, String orderId, OrderStatusCache.Entry entry) {
        if (entry.userId() != userId && !admin) {
            throw Refusal.notFound("No order " + orderId);
        }
        return new StatusView(orderId, entry.status());
    }

    /** The caller's orders, newest first; {@code cursor} is the last order's internal position. */
    public Uni<OrderPage> list(Long userId, OrderStatus status, Long cursor, int size) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (userId != null) {
            where.append(" and userId = :user");
            params.and("user", userId);
        }
        if (status != null) {
            where.append(" and status = :status");
            params.and("status", status);
        }
        if (cursor != null) {
            where.append(" and id < :cursor");
            params.and("cursor", cursor);
        }
        return Panache.withSession(() -> Order.<Order>find(where + " order by id desc", params)
                .page(Page.ofSize(size + 1))
                .list()
                .chain(orders -> {
                    boolean more = orders.size() > size;
                    List<Order> page = more ? orders.subList(0, size) : orders;
                    return views(page)
                            .map(items ->
                                    new OrderPage(items, more ? Long.toString(page.get(page.size() - 1).id) : null));
                }));
    }

    /** The order when the caller owns it (or is an admin); otherwise 404, never 403, so ids leak nothing. */
    public static Uni<Order> visible(long userId, boolean admin, String orderId) {
        return Order.byOrderId(orderId).map(order -> {
            if (order == null || (!admin && order.userId != userId)) {
                throw Refusal.notFound("No order " + orderId);
            }
            return order;
        });
    }

    public Uni<OrderView> view(Order order) {
        return OrderLine.of(order.id).map(lines -> OrderMapper.toView(order, lines));
    }

    private static Uni<List<OrderView>> views(List<Order> orders) {
        if (orders.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return OrderLine.<OrderLine>list(
                        "orderPk in ?1 order by id",
                        orders.stream().map(o -> o.id).toList())
                .map(lines -> {
                    Map<Long, List<OrderLine>> byOrder = lines.stream().collect(Collectors.groupingBy(l -> l.orderPk));
                    return orders.stream()
                            .map(o -> OrderMapper.toView(o, byOrder.getOrDefault(o.id, List.of())))
                            .toList();
                });
    }
}
