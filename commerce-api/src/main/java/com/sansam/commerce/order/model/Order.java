package com.sansam.commerce.order.model;

import com.sansam.commerce.deal.model.Deal;
import com.sansam.messages.Messages;
import com.sansam.messages.StockCommands;
import com.sansam.runtime.outbox.Outbox;
import com.sansam.runtime.problem.Refusal;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;
import java.util.Map;

@Entity
@Table(name = "orders")
public class Order extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The id shown to shoppers and sent to Toss (6-64 letters, digits, - and _). */
    @Column(name = "order_id")
    public String orderId;

    @Column(name = "user_id")
    public Long userId;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Enumerated(EnumType.STRING)
    public OrderStatus status;

    @Column(name = "order_name")
    public String orderName;

    public long amount;

    @Column(name = "cancelled_amount")
    public long cancelledAmount;

    @Column(name = "payment_key")
    public String paymentKey;

    /** The trace the order was placed in (W3C traceparent): its payment continues it. */
    @Column(name = "trace_parent")
    public String traceParent;

    /** The stock could not be committed after payment: the payment must be cancelled (RefundJob). */
    @Column(name = "refund_required")
    public boolean refundRequired;

    @Column(name = "ship_recipient")
    public String shipRecipient;

    @Column(name = "ship_phone")
    public String shipPhone;

    @Column(name = "ship_zip_code")
    public String shipZipCode;

    @Column(name = "ship_address1")
    public String shipAddress1;

    @Column(name = "ship_address2")
    public String shipAddress2;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "paid_at")
    public Instant paidAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The time deal whose units the order buys (all its lines are of that deal), or null. */
    @Column(name = "deal_id")
    public Long dealId;

    /** The buyer's verified phone when bought in a deal: the deal's limit per person counts it. */
    @Column(name = "buyer_phone")
    public String buyerPhone;

    @Version
    public long version;

    /**
     * A stock command about this order, addressed so that the stock-worker applies it in order with the others of its
     * aggregate: a deal's orders share the deal's (see {@link StockCommands}), any other order has its own.
     */
    public Outbox.Pending stockCommand(Object command) {
        return dealId == null
                ? new Outbox.Pending(Messages.STOCK_COMMANDS_EXCHANGE, "order", orderId, command)
                : Deal.stockCommand(dealId, command);
    }

    /** The order's lines as stock lines: a deal's units are held in the deal's pools. */
    public List<StockCommands.Line> stockLines(List<StockCommands.Line> lines) {
        return dealId == null
                ? lines
                : lines.stream()
                        .map(l -> new StockCommands.Line(StockCommands.poolSku(dealId, l.sku()), l.qty()))
                        .toList();
    }

    /** Moves to {@code next} or answers 409 and changes nothing (services move orders through {@code OrderMeters}). */
    public void transition(OrderStatus next) {
        if (!status.canBecome(next)) {
            throw Refusal.conflict(
                    "Order " + orderId + " is " + status + " and cannot become " + next,
                    Map.of("status", status.name()));
        }
        status = next;
        updatedAt = Instant.now();
    }

    public static Uni<Order> byOrderId(String orderId) {
        return find("orderId", orderId).firstResult();
    }

    public static Uni<Order> lockByOrderId(String orderId) {
        return find("orderId", orderId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }
}
