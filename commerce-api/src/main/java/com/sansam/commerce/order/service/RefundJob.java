package com.sansam.commerce.order.service;

import com.sansam.commerce.notification.service.NotificationTriggers;
import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderStatus;
import com.sansam.runtime.outbox.OutboxRelay;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Compensation: refunds paid orders whose stock could not be committed (CommitFailed) or that were paid after
 * they had moved on. The Toss cancel uses a fixed Idempotency-Key per order, so a crash or retry refunds once.
 * Runs in every replica; rows are claimed with SKIP LOCKED.
 */
@ApplicationScoped
public class RefundJob {

    private static final Logger LOG = Logger.getLogger(RefundJob.class);

    private final PaymentRefunds refunds;
    private final OrderStatusCache statusCache;
    private final SpendEvents spend;
    private final OutboxRelay relay;

    private final NotificationTriggers notices;

    public RefundJob(
            PaymentRefunds refunds,
            OrderStatusCache statusCache,
            SpendEvents spend,
            OutboxRelay relay,
            NotificationTriggers notices) {
        this.notices = notices;
        this.refunds = refunds;
        this.statusCache = statusCache;
        this.spend = spend;
        this.relay = relay;
    }

    @Scheduled(every = "${sansam.order.refund-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return refundDue()
                .onFailure()
                .invoke(e -> LOG.warn("Refund round failed", e))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    public Uni<Integer> refundDue() {
        return Panache.withSession(() -> Panache.getSession()
                        .chain(session -> session.createNativeQuery(
                                        "select order_id from orders where refund_required order by id limit 50",
                                        String.class)
                                .getResultList()))
                .chain(ids -> Multi.createFrom()
                        .iterable(ids)
                        .onItem()
                        .transformToUniAndConcatenate(this::refund)
                        .collect()
                        .asList()
                        .map(List::size));
    }

    private Uni<Void> refund(String orderId) {
        return Panache.withTransaction(() -> Panache.getSession()
                        .chain(session -> session.createNativeQuery(
                                        "select * from orders where order_id = :id and refund_required for update skip locked",
                                        Order.class)
                                .setParameter("id", orderId)
                                .getResultList())
                        .chain(rows -> {
                            if (rows.isEmpty()) {
                                return Uni.createFrom().nullItem();
                            }
                            Order order = rows.get(0);
                            return refunds.refund(order.paymentKey, "refund-" + order.orderId, "재고 확보 실패로 자동 환불", null)
                                    .chain(payment -> {
                                        order.refundRequired = false;
                                        order.cancelledAmount = order.amount;
                                        if (order.status.canBecome(OrderStatus.REFUNDED)) {
                                            OrderMeters.transition(order, OrderStatus.REFUNDED);
                                        }
                                        LOG.infof("Order %s refunded automatically", order.orderId);
                                        return spend.publish(order.userId)
                                                .chain(() -> notices.paymentCancelled(
                                                        order.userId,
                                                        order.orderId,
                                                        order.orderName,
                                                        "refund-" + order.orderId,
                                                        order.amount,
                                                        "재고 확보 실패로 자동 환불"))
                                                .replaceWith(order);
                                    });
                        }))
                .call(order -> order == null ? Uni.createFrom().voidItem() : statusCache.put(order))
                .invoke(relay::nudge)
                .onFailure()
                .invoke(e -> LOG.warnf("Refund of %s failed, will retry: %s", orderId, e.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
