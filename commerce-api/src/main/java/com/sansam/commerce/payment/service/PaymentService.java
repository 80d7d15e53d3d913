package com.sansam.commerce.payment.service;

import com.sansam.commerce.cart.model.CartItem;
import com.sansam.commerce.notification.service.NotificationTriggers;
import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderDtos.OrderView;
import com.sansam.commerce.order.model.OrderLine;
import com.sansam.commerce.order.model.OrderStatus;
import com.sansam.commerce.order.service.OrderMeters;
import com.sansam.commerce.order.service.OrderService;
import com.sansam.commerce.order.service.OrderStatusCache;
import com.sansam.commerce.order.service.SpendEvents;
import com.sansam.commerce.payment.client.TossException;
import com.sansam.commerce.payment.client.TossGateway;
import com.sansam.commerce.payment.client.TossPayment;
import com.sansam.messages.StockCommands;
import com.sansam.runtime.outbox.Outbox;
import com.sansam.runtime.outbox.OutboxRelay;
import com.sansam.runtime.problem.Refusal;
import com.sansam.runtime.tracing.MessageTraces;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Confirms a payment with Toss. Checked before Toss is called: ownership, state (an expired or rejected order
 * is refused), amount. Afterwards: a card rejection marks PAYMENT_FAILED and releases the stock; a 5xx is
 * retried with the same Idempotency-Key; a timeout (outcome unknown) is resolved by looking the payment up by
 * orderId. A success marks PAID and asks the stock-worker to commit the reservation.
 */
@ApplicationScoped
public class PaymentService {

    private static final Logger LOG = Logger.getLogger(PaymentService.class);

    private final TossGateway toss;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final OrderStatusCache statusCache;
    private final OrderService orders;
    private final SpendEvents spend;
    private final NotificationTriggers notices;
    private final MessageTraces traces;

    public PaymentService(
            TossGateway toss,
            Outbox outbox,
            OutboxRelay relay,
            OrderStatusCache statusCache,
            OrderService orders,
            SpendEvents spend,
            NotificationTriggers notices,
            MessageTraces traces) {
        this.traces = traces;
        this.notices = notices;
        this.toss = toss;
        this.outbox = outbox;
        this.relay = relay;
        this.statusCache = statusCache;
        this.orders = orders;
        this.spend = spend;
    }

    public Uni<OrderView> confirm(long userId, boolean admin, String orderId, String paymentKey, long amount) {
        return Panache.withTransaction(() -> OrderService.visible(userId, admin, orderId)
                        .chain(order -> Order.lockByOrderId(order.orderId))
                        .call(this::expireIfDue))
                .call(statusCache::put)
                .invoke(relay::nudge)
                .invoke(order -> refuseUnpayable(order, paymentKey, amount))
                .chain(order -> order.status == OrderStatus.PAID && paymentKey.equals(order.paymentKey)
                        ? Uni.createFrom().item(order) // a repeated confirm of a paid order
                        : pay(order, paymentKey, amount))
                .chain(order -> Panache.withSession(() -> orders.view(order)));
    }

    /** Confirms at Toss and records the outcome, in a span of the trace the order was placed in. */
    private Uni<Order> pay(Order order, String paymentKey, long amount) {
        String orderId = order.orderId;
        MessageTraces.Handling span = traces.continuing("order payment", "order", orderId, order.traceParent);
        return toss.confirm(orderId, paymentKey, amount)
                .onFailure(PaymentService::outcomeUnknown)
                .recoverWithUni(failure -> lookUp(orderId, failure))
                .onFailure(TossException.class)
                .recoverWithUni(failure -> rejected(orderId, (TossException) failure))
                .chain(payment -> paid(orderId, payment))
                .onTermination()
                .invoke((paid, failure, cancelled) -> span.end(failure));
    }

    /** An unpaid order past its time is expired now (committed), even if the stock-worker has not said so yet. */
    private Uni<Void> expireIfDue(Order order) {
        if (order.status != OrderStatus.STOCK_RESERVED || !Instant.now().isAfter(order.expiresAt)) {
            return Uni.createFrom().voidItem();
        }
        OrderMeters.transition(order, OrderStatus.EXPIRED);
        return outbox.add(order.stockCommand(
                        new StockCommands.ReleaseReservation(order.orderId, "expired before payment")))
                .replaceWithVoid();
    }

    /** Refusals that happen before any money moves. */
    private static void refuseUnpayable(Order order, String paymentKey, long amount) {
        if (order.status == OrderStatus.PAID && paymentKey.equals(order.paymentKey)) {
            return;
        }
        if (order.status != OrderStatus.STOCK_RESERVED) {
            String detail = order.status == OrderStatus.PENDING
                    ? "The stock for this order is not reserved yet; try again in a moment"
                    : "Order " + order.orderId + " is " + order.status + " and cannot be paid";
            throw Refusal.conflict(detail, Map.of("status", order.status.name()));
        }
        if (order.amount != amount) {
            throw Refusal.invalid(
                    "amount", "The amount " + amount + " does not match the order's amount " + order.amount);
        }
    }

    private static boolean outcomeUnknown(Throwable failure) {
        return !(failure instanceof TossException)
                || ((TossException) failure).isServerError()
                || "ALREADY_PROCESSED_PAYMENT".equals(((TossException) failure).code());
    }

    /** After a timeout, a 5xx that outlived its retries, or "already processed": ask Toss what happened. */
    private Uni<TossPayment> lookUp(String orderId, Throwable original) {
        LOG.infof("Confirm of %s ended without an answer (%s): looking the payment up", orderId, original.toString());
        return toss.byOrderId(orderId)
                .onFailure()
                .transform(lookupFailure -> Refusal.partnerTimedOut(
                        "The payment outcome is unknown for now; retry the confirmation (it is idempotent)"))
                .map(payment -> {
                    if (!payment.isDone()) {
                        throw Refusal.partnerTimedOut(
                                "The payment is " + payment.status() + " at Toss; retry the confirmation");
                    }
                    return payment;
                });
    }

    /** A definite refusal by Toss: the order cannot be paid with this attempt; its stock goes back. */
    private Uni<TossPayment> rejected(String orderId, TossException failure) {
        return Panache.withTransaction(() -> Order.lockByOrderId(orderId).call(order -> {
                    if (order.status != OrderStatus.STOCK_RESERVED) {
                        return Uni.createFrom().voidItem();
                    }
                    OrderMeters.transition(order, OrderStatus.PAYMENT_FAILED);
                    return outbox.add(order.stockCommand(
                            new StockCommands.ReleaseReservation(orderId, "payment failed: " + failure.code())));
                }))
                .call(statusCache::put)
                .invoke(relay::nudge)
                .chain(order -> Uni.createFrom()
                        .failure(Refusal.paymentRejected(
                                failure.code(), "Toss refused the payment: " + failure.code())));
    }

    /** Money was taken: mark PAID and commit the stock (or, if the order moved on meanwhile, refund it). */
    private Uni<Order> paid(String orderId, TossPayment payment) {
        return Panache.withTransaction(() -> Order.lockByOrderId(orderId).call(order -> {
                    if (order.status.isPaid() || order.status == OrderStatus.REFUNDED) {
                        return Uni.createFrom().voidItem();
                    }
                    order.paymentKey = payment.paymentKey();
                    order.paidAt = Instant.now();
                    if (!order.status.canBecome(OrderStatus.PAID)) {
                        // e.g. cancelled or expired while the confirmation was in flight: give the money back.
                        LOG.warnf("Order %s was paid while %s: refunding", orderId, order.status);
                        order.refundRequired = true;
                        return Uni.createFrom().voidItem();
                    }
                    OrderMeters.transition(order, OrderStatus.PAID);
                    return outbox.add(order.stockCommand(new StockCommands.CommitReservation(orderId)))
                            .chain(() -> OrderLine.of(order.id))
                            .chain(lines -> CartItem.delete(
                                    "userId = ?1 and sku in ?2",
                                    order.userId,
                                    lines.stream().map(l -> l.sku).toList()))
                            .chain(() -> spend.publish(order.userId))
                            .chain(() -> notices.paymentCompleted(
                                    order.userId, order.orderId, order.orderName, order.amount));
                }))
                .call(statusCache::put)
                .invoke(relay::nudge);
    }
}
