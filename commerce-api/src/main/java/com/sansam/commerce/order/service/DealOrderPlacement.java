package com.sansam.commerce.order.service;

import com.sansam.commerce.account.model.ShippingAddress;
import com.sansam.commerce.deal.service.DealPurchases;
import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderDtos.ItemRequest;
import com.sansam.commerce.order.model.OrderLine;
import com.sansam.runtime.async.Settled;
import com.sansam.runtime.db.Pipelined;
import com.sansam.runtime.outbox.Outbox;
import com.sansam.runtime.tracing.MessageTraces;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Placing an order of a deal: the deal's rules ({@link DealPurchases}) decide it inside the order's own transaction,
 * under the deal's row lock, in one statement sent with the lock and the commit ({@link Pipelined}).
 */
@ApplicationScoped
public class DealOrderPlacement {

    /**
     * A deal's order, its lines and its ReserveStock command, written only when the deal's rules admit it
     * ({@link DealPurchases#VERDICT}, whose $1 to $6 it binds), the waiting room's pass used with it; answers the rows
     * that explain the verdict, and the order's key when it was written. Runs right after the deal's row lock.
     */
    private static final String PLACE_IN_DEAL = DealPurchases.VERDICT + ",\n" + DealPurchases.USE_PASS
            + """
            ,
            o as (
                insert into orders (order_id, user_id, idempotency_key, status, order_name, amount, ship_recipient, ship_phone,
                                    ship_zip_code, ship_address1, ship_address2, expires_at, created_at, updated_at, deal_id,
                                    trace_parent, buyer_phone)
                select $7::text, $2, $8::text, 'PENDING', $9::text, $10::bigint, $11::text, $12::text, $13::text, $14::text,
                       $15::text, $16::timestamptz, $17::timestamptz, $17::timestamptz, $1, $18::text,
                       (select buyer_phone from verdict)
                where (select ok from ok)
                returning id),
            ol as (%s),
            m as (insert into outbox %s)
            select r.*, (select id from o) as order_pk from (%s) r""".formatted(NewOrders.linesInsert(19), Outbox.selectFrom(25, ", o"), DealPurchases.VERDICT_ROWS);

    private final Pool pool;
    private final Outbox outbox;
    private final DealPurchases deals;
    private final NewOrders newOrders;
    private final DealOrderBatches batches;

    public DealOrderPlacement(
            Pool pool, Outbox outbox, DealPurchases deals, NewOrders newOrders, DealOrderBatches batches) {
        this.batches = batches;
        this.pool = pool;
        this.outbox = outbox;
        this.deals = deals;
        this.newOrders = newOrders;
    }

    /**
     * An order of a deal. A deal's refusals (sold out, not started, limit, no pass) come at once, before any lock is
     * waited for: from what this replica saw a moment ago (no I/O), else from {@link DealPurchases#precheck}. Then the
     * deal's row lock and the statement that checks the rules again and writes the order are sent together with the
     * transaction's begin and commit ({@link Pipelined}): the lock that orders all buyers of the deal is held for the
     * server's work only, never for a round trip to this busy service. Orders of the deal arriving together share that
     * transaction ({@link DealOrderBatches}).
     */
    Uni<NewOrders.Placed> place(
            String orderId,
            long userId,
            String idempotencyKey,
            ShippingAddress requestedAddress,
            Map<String, ItemRequest> items,
            Map<String, Integer> wanted,
            long dealId) {
        Map<String, Long> seen = new HashMap<>();
        items.values().forEach(item -> seen.put(item.sku(), item.price()));
        DealPurchases.Wanted want = new DealPurchases.Wanted(wanted, seen);
        // the three reads go out together (each on a connection of its own); a refusal by the deal's rules comes
        // first, then a missing address, as when they were read one after the other
        return OrderMeters.step(
                        "deal-reads",
                        Settled.all(List.of(
                                deals.precheck(pool, dealId, userId, want),
                                NewOrders.shippingAddress(userId, requestedAddress),
                                pool.preparedQuery(NewOrders.OFFERS)
                                        .execute(Tuple.of(items.keySet().toArray(String[]::new))))))
                .map(Settled::orFirstFailure)
                .map(read -> {
                    DealPurchases.Admission admission = (DealPurchases.Admission) read.get(0);
                    @SuppressWarnings("unchecked")
                    RowSet<Row> rows = (RowSet<Row>) read.get(2);
                    NewOrders.Placed placed = newOrders.newOrder(
                            orderId,
                            userId,
                            idempotencyKey,
                            (ShippingAddress) read.get(1),
                            items,
                            NewOrders.offers(rows, admission.prices()),
                            dealId);
                    placed.order().buyerPhone = admission.buyerPhone();
                    return placed;
                })
                .chain(placed -> {
                    Instant now = deals.now();
                    Tuple params = placeInDealParams(DealPurchases.params(dealId, userId, now, want), placed);
                    return OrderMeters.step(
                                    "deal-transaction",
                                    batches.place(dealId, new Pipelined.Statement(PLACE_IN_DEAL, params)))
                            .map(rows -> {
                                Long pk = rows.iterator().next().getLong("order_pk");
                                if (pk == null) {
                                    deals.decide(rows, dealId, now, want); // throws the refusal
                                }
                                rows.forEach(row -> deals.learnt(
                                        dealId,
                                        row.getString("sku"),
                                        row.getInteger("remaining") - row.getInteger("qty")));
                                placed.order().id = pk;
                                placed.lines().forEach(line -> line.orderPk = pk);
                                return placed;
                            });
                });
    }

    /** {@link #PLACE_IN_DEAL}'s parameters after the deal's: the order, its lines, its ReserveStock command. */
    private Tuple placeInDealParams(Tuple params, NewOrders.Placed placed) {
        Order order = placed.order();
        List<OrderLine> lines = placed.lines();
        params.addString(order.orderId).addString(order.idempotencyKey);
        NewOrders.addNameToCreated(params, order);
        params.addString(MessageTraces.current());
        NewOrders.addLines(params, lines);
        outbox.columns(List.of(NewOrders.reserve(order, lines))).forEach(params::addValue);
        return params;
    }
}
