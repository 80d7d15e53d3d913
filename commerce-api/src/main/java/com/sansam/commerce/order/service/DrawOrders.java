package com.sansam.commerce.order.service;

import com.sansam.commerce.deal.config.DealConfig;
import com.sansam.commerce.deal.service.Draws;
import com.sansam.commerce.notification.service.NotificationTriggers;
import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderLine;
import com.sansam.commerce.order.model.OrderStatus;
import com.sansam.runtime.outbox.OutboxRelay;
import com.sansam.runtime.outbox.SafeContexts;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The clock of draw deals, every tick on every replica: draw the deals whose entries closed, pass units that came back
 * to the next entrants, give each entrant offered a unit an order at the deal price (its unit reserved through the
 * outbox like any order, {@code payWithin} to pay) and tell them; tell those not drawn. Each step is once whatever
 * the replicas: the draw and the passing on hold the deal's row lock, an offered entry is taken with
 * {@code for update skip locked} and gets its order in the same transaction.
 */
@ApplicationScoped
public class DrawOrders {

    /** Entries given a unit and still without an order (their buyer still active, with an address). */
    private static final String OFFERED = """
            select e.id as entry_id, e.user_id, e.deal_id, e.sku, e.buyer_phone, l.deal_price, d.title,
                   d.pay_within_seconds, p.id as product_id, p.name, po.size, po.color, u.ship_recipient, u.ship_phone,
                   u.ship_zip_code, u.ship_address1, u.ship_address2
            from deal_entry e join deal d on d.id = e.deal_id
            join deal_line l on l.deal_id = e.deal_id and l.sku = e.sku
            join product p on p.id = d.product_id left join product_option po on po.sku = e.sku
            join users u on u.id = e.user_id
            where e.offered_at is not null and e.order_pk is null and d.status = 'OPEN'
              and u.withdrawn_at is null and u.ship_address1 is not null
            order by e.id limit 100
            for update of e skip locked""";

    /** A winner's order made: whom to tell. */
    private record Won(long userId, long dealId, long entryId, String title, Order order) {}

    private final Pool pool;
    private final Draws draws;
    private final NewOrders newOrders;
    private final OrderStatusCache statusCache;
    private final OutboxRelay relay;
    private final NotificationTriggers notices;
    private final DealConfig config;
    private final Vertx vertx;
    private long timer = -1;

    public DrawOrders(
            Pool pool,
            Draws draws,
            NewOrders newOrders,
            OrderStatusCache statusCache,
            OutboxRelay relay,
            NotificationTriggers notices,
            DealConfig config,
            Vertx vertx) {
        this.pool = pool;
        this.draws = draws;
        this.newOrders = newOrders;
        this.statusCache = statusCache;
        this.relay = relay;
        this.notices = notices;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        timer = SafeContexts.every(vertx.getDelegate(), config.fairDropTick(), "Draw tick", this::tick);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** One pass: draw, pass on, make the winners' orders, tell. */
    public Uni<Void> tick() {
        return draws.drawDue().chain(draws::passOn).chain(this::makeOrders).chain(draws::tellNotSelected);
    }

    /** Orders for the entries offered a unit (a batch at a time, until none is left). */
    private Uni<Void> makeOrders() {
        return pool.withTransaction(connection -> connection
                        .preparedQuery(OFFERED)
                        .execute()
                        .chain(rows -> {
                            List<Row> offered = new ArrayList<>();
                            rows.forEach(offered::add);
                            return Multi.createFrom()
                                    .iterable(offered)
                                    .onItem()
                                    .transformToUniAndConcatenate(row -> order(connection, row))
                                    .collect()
                                    .asList();
                        }))
                .chain(made -> {
                    if (made.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    relay.nudge();
                    return Multi.createFrom()
                            .iterable(made)
                            .onItem()
                            .transformToUniAndConcatenate(won -> statusCache
                                    .put(won.order())
                                    .chain(() -> Panache.withTransaction(() -> notices.drawWon(
                                            won.userId(),
                                            won.dealId(),
                                            won.entryId(),
                                            won.title(),
                                            won.order().orderId,
                                            won.order().amount,
                                            won.order().expiresAt))))
                            .collect()
                            .last()
                            .chain(this::makeOrders);
                });
    }

    /** One winner's order, and the entry pointing at it, in the batch's transaction. */
    private Uni<Won> order(SqlConnection connection, Row row) {
        Instant now = Instant.now();
        long entryId = row.getLong("entry_id");
        OrderLine line = new OrderLine();
        line.productId = row.getLong("product_id");
        line.sku = row.getString("sku");
        line.productName = row.getString("name");
        String label = Stream.of(row.getString("color"), row.getString("size"))
                .filter(s -> s != null && !s.isBlank())
                .collect(Collectors.joining(" / "));
        line.optionLabel = label.isEmpty() ? null : label;
        line.unitPrice = row.getLong("deal_price");
        line.quantity = 1;
        Order order = new Order();
        order.orderId = NewOrders.newOrderId(now);
        order.userId = row.getLong("user_id");
        order.idempotencyKey = "draw-entry-" + entryId;
        order.status = OrderStatus.PENDING;
        order.orderName = line.productName;
        order.amount = line.unitPrice;
        order.shipRecipient = row.getString("ship_recipient");
        order.shipPhone = row.getString("ship_phone");
        order.shipZipCode = row.getString("ship_zip_code");
        order.shipAddress1 = row.getString("ship_address1");
        order.shipAddress2 = row.getString("ship_address2");
        order.createdAt = now;
        order.updatedAt = now;
        order.dealId = row.getLong("deal_id");
        order.buyerPhone = row.getString("buyer_phone");
        order.expiresAt = now.plusSeconds(row.getInteger("pay_within_seconds"));
        return newOrders
                .insert(connection, new NewOrders.Placed(order, List.of(line)))
                .chain(placed -> connection
                        .preparedQuery("update deal_entry set order_pk = $2 where id = $1")
                        .execute(Tuple.of(entryId, order.id)))
                .replaceWith(new Won(order.userId, order.dealId, entryId, row.getString("title"), order));
    }
}
