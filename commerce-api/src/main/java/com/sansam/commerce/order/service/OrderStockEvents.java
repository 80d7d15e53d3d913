package com.sansam.commerce.order.service;

import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderStatus;
import com.sansam.contracts.Envelope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * What the stock-worker's answers mean for orders. Runs inside the inbox transaction; events that no longer
 * apply (the order moved on) are ignored rather than failed. Status cache writes happen after the commit.
 */
@ApplicationScoped
public class OrderStockEvents {

    private static final Logger LOG = Logger.getLogger(OrderStockEvents.class);
    static final List<String> TYPES = List.of("StockReserved", "StockRejected", "ReservationExpired", "CommitFailed");

    public boolean handles(String type) {
        return TYPES.contains(type);
    }

    /** Applies the event; answers the order whose status changed (for the status cache), or null. */
    public Uni<Order> apply(Envelope envelope) {
        return Order.lockByOrderId(envelope.aggregateId()).map(order -> {
            if (order == null) {
                LOG.debugf("%s for unknown order %s ignored", envelope.type(), envelope.aggregateId());
                return null;
            }
            switch (envelope.type()) {
                case "StockReserved" -> {
                    return move(order, OrderStatus.PENDING, OrderStatus.STOCK_RESERVED);
                }
                case "StockRejected" -> {
                    return move(order, OrderStatus.PENDING, OrderStatus.REJECTED);
                }
                case "ReservationExpired" -> {
                    return order.status.isUnpaidOpen() ? transition(order, OrderStatus.EXPIRED) : null;
                }
                case "CommitFailed" -> {
                    if (order.status.isPaid() && !order.refundRequired) {
                        LOG.warnf("Stock of paid order %s could not be committed: refunding", order.orderId);
                        order.refundRequired = true;
                        return order;
                    }
                    return null;
                }
                default -> {
                    return null;
                }
            }
        });
    }

    private static Order move(Order order, OrderStatus from, OrderStatus to) {
        return order.status == from ? transition(order, to) : null;
    }

    private static Order transition(Order order, OrderStatus to) {
        order.transition(to);
        return order;
    }
}
