package com.sansam.commerce.order.service;

import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderStatus;
import com.sansam.messages.Envelope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * What the stock-worker's answers mean for orders. Runs inside the inbox transaction; events that no longer
 * apply (the order moved on) are ignored rather than failed. Status cache writes happen after the commit.
 */
@ApplicationScoped
public class OrderStockEvents {

    private static final Logger LOG = Logger.getLogger(OrderStockEvents.class);
    static final List<String> TYPES = List.of("StockReserved", "StockRejected", "ReservationExpired", "CommitFailed");
    /** The outcomes of a reservation: a pending order becomes reserved or rejected. Many are applied at once. */
    static final List<String> OUTCOMES = List.of("StockReserved", "StockRejected");

    /*
     * A reservation's outcome moves a PENDING order (and only a pending one: a late answer changes nothing) to
     * STOCK_RESERVED or REJECTED, as Order#transition would, with one statement for the whole batch.
     */
    private static final String APPLY_OUTCOMES = """
            update orders o set status = v.status, updated_at = now(), version = o.version + 1
            from unnest($1::text[], $2::text[]) as v(order_id, status)
            where o.order_id = v.order_id and o.status = 'PENDING'
            returning o.order_id, o.user_id, o.status, o.version, extract(epoch from now() - o.created_at)::float8 as waited,
                      case when o.status = 'REJECTED' then array(select l.sku from order_line l where l.order_pk = o.id) end as skus""";

    /** An order a reservation outcome decided; a rejected one with the SKUs it named (the stock gate frees them). */
    public record Decided(OrderStatusCache.Status status, List<String> skus) {}

    public boolean handles(String type) {
        return TYPES.contains(type);
    }

    public boolean isOutcome(String type) {
        return OUTCOMES.contains(type);
    }

    /** Applies reservation outcomes inside the transaction on {@code connection}; answers the orders that changed. */
    public Uni<List<Decided>> applyOutcomes(SqlConnection connection, List<Envelope> outcomes) {
        if (outcomes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] orderIds = outcomes.stream().map(Envelope::aggregateId).toArray(String[]::new);
        String[] statuses = outcomes.stream()
                .map(e -> ("StockReserved".equals(e.type()) ? OrderStatus.STOCK_RESERVED : OrderStatus.REJECTED).name())
                .toArray(String[]::new);
        return connection
                .preparedQuery(APPLY_OUTCOMES)
                .execute(Tuple.of(orderIds, statuses))
                .map(rows -> {
                    List<Decided> changed = new ArrayList<>();
                    rows.forEach(row -> {
                        OrderStatus status = OrderStatus.valueOf(row.getString("status"));
                        OrderMeters.decided(status, Duration.ofNanos((long) (row.getDouble("waited") * 1e9)));
                        changed.add(new Decided(
                                new OrderStatusCache.Status(
                                        row.getString("order_id"),
                                        row.getLong("user_id"),
                                        status,
                                        row.getLong("version")),
                                row.getValue("skus") == null ? List.of() : List.of(row.getArrayOfStrings("skus"))));
                    });
                    if (changed.size() < outcomes.size()) {
                        LOG.debugf(
                                "%d of %d reservation outcomes found no pending order",
                                outcomes.size() - changed.size(), outcomes.size());
                    }
                    return changed;
                });
    }

    /** Applies a later event of a reservation; answers the order whose status changed (for the status cache), or null. */
    public Uni<Order> apply(Envelope envelope) {
        return Order.lockByOrderId(envelope.aggregateId()).map(order -> {
            if (order == null) {
                LOG.debugf("%s for unknown order %s ignored", envelope.type(), envelope.aggregateId());
                return null;
            }
            switch (envelope.type()) {
                case "ReservationExpired" -> {
                    if (order.status.isUnpaidOpen()) {
                        OrderMeters.transition(order, OrderStatus.EXPIRED);
                        return order;
                    }
                    return null;
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
}
