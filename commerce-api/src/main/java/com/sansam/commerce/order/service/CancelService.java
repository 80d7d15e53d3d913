package com.sansam.commerce.order.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sansam.commerce.notification.service.NotificationTriggers;
import com.sansam.commerce.order.config.OrderConfig;
import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderCancel;
import com.sansam.commerce.order.model.OrderDtos.CancelLine;
import com.sansam.commerce.order.model.OrderDtos.OrderView;
import com.sansam.commerce.order.model.OrderLine;
import com.sansam.commerce.order.model.OrderStatus;
import com.sansam.messages.StockCommands;
import com.sansam.runtime.outbox.Outbox;
import com.sansam.runtime.outbox.OutboxRelay;
import com.sansam.runtime.problem.Refusal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Cancels orders. Before payment: the reservation is released. After payment: the cancelled quantities are
 * claimed under the order's row lock (so two racing cancels can never take the same units), Toss refunds with
 * the cancel's id as Idempotency-Key, and only then the units go back to stock (RestoreStock, once per cancel).
 */
@ApplicationScoped
public class CancelService {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<StockCommands.Line>> LINES = new TypeReference<>() {};

    private final PaymentRefunds refunds;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final OrderStatusCache statusCache;
    private final OrderService orders;
    private final SpendEvents spend;
    private final OrderConfig config;
    private final NotificationTriggers notices;

    public CancelService(
            PaymentRefunds refunds,
            Outbox outbox,
            OutboxRelay relay,
            OrderStatusCache statusCache,
            OrderService orders,
            SpendEvents spend,
            OrderConfig config,
            NotificationTriggers notices) {
        this.notices = notices;
        this.refunds = refunds;
        this.outbox = outbox;
        this.relay = relay;
        this.statusCache = statusCache;
        this.orders = orders;
        this.spend = spend;
        this.config = config;
    }

    /** Deletes an unpaid order sheet: it becomes CANCELLED and its reservation is released. */
    public Uni<Void> discard(long userId, boolean admin, String orderId) {
        return Panache.withTransaction(() -> OrderService.visible(userId, admin, orderId)
                        .chain(order -> Order.lockByOrderId(order.orderId))
                        .call(order -> {
                            if (!order.status.isUnpaidOpen()) {
                                throw Refusal.conflict(
                                        "Only an unpaid order can be deleted; this one is " + order.status,
                                        Map.of("status", order.status.name()));
                            }
                            return releaseUnpaid(order, "order deleted");
                        }))
                .call(statusCache::put)
                .invoke(relay::nudge)
                .replaceWithVoid();
    }

    /** Cancels an unpaid order and sends its reservation back (call with the order locked, in a transaction). */
    Uni<Void> releaseUnpaid(Order order, String reason) {
        OrderMeters.transition(order, OrderStatus.CANCELLED);
        return outbox.add(order.stockCommand(new StockCommands.ReleaseReservation(order.orderId, reason)))
                .replaceWithVoid();
    }

    private record Claim(Order order, OrderCancel cancel, boolean full) {}

    public Uni<OrderView> cancel(long userId, boolean admin, String orderId, String reason, List<CancelLine> lines) {
        return Panache.withTransaction(() -> OrderService.visible(userId, admin, orderId)
                        .chain(order -> Order.lockByOrderId(order.orderId))
                        .chain(order -> {
                            if (order.status.isUnpaidOpen()) {
                                if (lines != null && !lines.isEmpty()) {
                                    throw Refusal.conflict(
                                            "Only a paid order can be cancelled in part",
                                            Map.of("status", order.status.name()));
                                }
                                return releaseUnpaid(order, reason).replaceWith(new Claim(order, null, true));
                            }
                            if (!order.status.isPaid()) {
                                OrderMeters.transition(
                                        order, OrderStatus.CANCELLED); // answers 409 with the current status
                            }
                            if (!admin && Instant.now().isAfter(order.paidAt.plus(config.buyerCancelWindow()))) {
                                throw Refusal.forbidden("A paid order can be cancelled by its buyer within "
                                        + config.buyerCancelWindow().toHours() + " hours of payment");
                            }
                            return claim(order, reason, lines);
                        }))
                .call(claim -> statusCache.put(claim.order()))
                .invoke(relay::nudge)
                .chain(claim -> claim.cancel() == null ? Uni.createFrom().item(claim.order()) : refund(claim))
                .chain(order -> Panache.withSession(() -> orders.view(order)));
    }

    /** Claims the units to cancel (all that remain when no lines are given) and records the cancel. */
    private Uni<Claim> claim(Order order, String reason, List<CancelLine> requested) {
        return OrderLine.of(order.id).chain(lines -> {
            Map<String, OrderLine> bySku = lines.stream().collect(Collectors.toMap(l -> l.sku, Function.identity()));
            List<StockCommands.Line> cancelled = new ArrayList<>();
            long amount = 0;
            if (requested == null || requested.isEmpty()) {
                for (OrderLine line : lines) {
                    if (line.remaining() > 0) {
                        cancelled.add(new StockCommands.Line(line.sku, line.remaining()));
                    }
                }
            } else {
                java.util.Set<String> named = new java.util.HashSet<>();
                for (CancelLine want : requested) {
                    if (!named.add(want.sku())) {
                        throw Refusal.invalid(
                                "lines", "SKU " + want.sku() + " is named twice; name each SKU once with its quantity");
                    }
                }
                for (CancelLine want : requested) {
                    OrderLine line = bySku.get(want.sku());
                    if (line == null) {
                        throw Refusal.invalid("lines", "SKU " + want.sku() + " is not in this order");
                    }
                    if (want.quantity() > line.remaining()) {
                        throw Refusal.conflict(
                                "Only " + line.remaining() + " of " + want.sku() + " can still be cancelled",
                                Map.of("sku", want.sku(), "cancellable", line.remaining()));
                    }
                    cancelled.add(new StockCommands.Line(want.sku(), want.quantity()));
                }
            }
            if (cancelled.isEmpty()) {
                throw Refusal.conflict(
                        "Nothing is left to cancel in this order", Map.of("status", order.status.name()));
            }
            for (StockCommands.Line c : cancelled) {
                OrderLine line = bySku.get(c.sku());
                line.cancelledQty += c.qty();
                amount += line.unitPrice * c.qty();
            }
            boolean full = lines.stream().allMatch(l -> l.remaining() == 0);
            OrderCancel cancel = new OrderCancel();
            cancel.orderPk = order.id;
            cancel.cancelId = "cancel-" + UUID.randomUUID();
            cancel.amount = amount;
            cancel.reason = reason;
            cancel.lines = toJson(cancelled);
            cancel.status = OrderCancel.Status.REQUESTED;
            cancel.createdAt = Instant.now();
            return cancel.persist().replaceWith(new Claim(order, cancel, full));
        });
    }

    /** Refunds with Toss, then completes the cancel; a failed refund gives the claimed units back to the order. */
    private Uni<Order> refund(Claim claim) {
        Order order = claim.order();
        OrderCancel cancel = claim.cancel();
        boolean wholeOrder = claim.full() && order.cancelledAmount == 0;
        return refunds.refund(order.paymentKey, cancel.cancelId, cancel.reason, wholeOrder ? null : cancel.amount)
                .onFailure()
                .call(failure -> Panache.withTransaction(() -> OrderCancel.<OrderCancel>findById(cancel.id)
                        .call(stored -> {
                            stored.status = OrderCancel.Status.FAILED;
                            return unclaim(order.id, fromJson(stored.lines));
                        })))
                .onFailure()
                .transform(failure ->
                        Refusal.partnerFailed("The refund failed at Toss and nothing was cancelled; try again"))
                .chain(payment -> Panache.withTransaction(() -> Order.lockByOrderId(order.orderId)
                        .call(locked -> OrderCancel.<OrderCancel>findById(cancel.id)
                                .chain(stored -> {
                                    stored.status = OrderCancel.Status.DONE;
                                    stored.doneAt = Instant.now();
                                    locked.cancelledAmount += stored.amount;
                                    OrderMeters.transition(
                                            locked,
                                            locked.cancelledAmount >= locked.amount
                                                    ? OrderStatus.CANCELLED
                                                    : OrderStatus.PARTIALLY_CANCELLED);
                                    return outbox.add(locked.stockCommand(new StockCommands.RestoreStock(
                                                    locked.orderId,
                                                    stored.cancelId,
                                                    locked.stockLines(fromJson(stored.lines)))))
                                            .chain(() -> spend.publish(locked.userId))
                                            .chain(() -> notices.paymentCancelled(
                                                    locked.userId,
                                                    locked.orderId,
                                                    locked.orderName,
                                                    stored.cancelId,
                                                    stored.amount,
                                                    stored.reason));
                                }))))
                .call(statusCache::put)
                .invoke(relay::nudge);
    }

    private static Uni<Void> unclaim(long orderPk, List<StockCommands.Line> cancelled) {
        return OrderLine.of(orderPk)
                .invoke(lines -> {
                    Map<String, Integer> back = cancelled.stream()
                            .collect(Collectors.toMap(StockCommands.Line::sku, StockCommands.Line::qty));
                    lines.forEach(line -> line.cancelledQty -= back.getOrDefault(line.sku, 0));
                })
                .replaceWithVoid();
    }

    private static String toJson(List<StockCommands.Line> lines) {
        try {
            return JSON.writeValueAsString(lines);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<StockCommands.Line> fromJson(String json) {
        try {
            return JSON.readValue(json, LINES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
