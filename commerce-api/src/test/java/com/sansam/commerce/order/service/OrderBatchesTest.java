package com.sansam.commerce.order.service;

import static com.sansam.commerce.support.Api.adminSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sansam.commerce.account.model.ShippingAddress;
import com.sansam.commerce.order.model.OrderDtos.ItemRequest;
import com.sansam.commerce.support.Api;
import com.sansam.commerce.support.Catalog;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link OrderBatches} against the test database: a buyer's orders that arrive while their lane's transaction is in
 * flight are written together in the next one (one transaction id), and when that one fails each is written alone, in
 * order, with its own outcome, and nothing of the failed transaction stays. The test holds the buyer's row
 * ({@code FOR UPDATE}, which the order's foreign key check waits for) while the orders arrive, so which orders wait
 * together is certain.
 */
@QuarkusTest
class OrderBatchesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    OrderBatches batches;

    @Inject
    NewOrders newOrders;

    @Inject
    Pool pool;

    @Test
    void ordersWaitingTogetherShareOneTransaction() throws Exception {
        Buyer buyer = aBuyer();
        SqlConnection holder = hold(buyer.userId());
        CompletableFuture<NewOrders.Placed> first = place(buyer, "first"); // taken at once, waits for the row
        CompletableFuture<NewOrders.Placed> second = place(buyer, "second");
        CompletableFuture<NewOrders.Placed> third = place(buyer, "third");
        release(holder);

        Map<String, String> tx = transactions(List.of(
                first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS), third.get(30, TimeUnit.SECONDS)));
        String firstId = first.get().order().orderId;
        String together = tx.get(second.get().order().orderId);
        assertEquals(together, tx.get(third.get().order().orderId), "the orders that waited share one transaction");
        assertNotEquals(together, tx.get(firstId));
        assertEquals(3, commands(tx.keySet()), "one ReserveStock per order");
    }

    @Test
    void aFailedTransactionWritesEachOfItsOrdersAloneInOrder() throws Exception {
        Buyer buyer = aBuyer();
        SqlConnection holder = hold(buyer.userId());
        CompletableFuture<NewOrders.Placed> first = place(buyer, "first");
        CompletableFuture<NewOrders.Placed> second = place(buyer, "second");
        CompletableFuture<NewOrders.Placed> repeated = place(buyer, "second"); // its key again: a unique violation
        CompletableFuture<NewOrders.Placed> third = place(buyer, "third");
        release(holder);

        List<NewOrders.Placed> written = List.of(
                first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS), third.get(30, TimeUnit.SECONDS));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> repeated.get(30, TimeUnit.SECONDS));
        assertEquals(
                "23505", assertInstanceOf(PgException.class, failure.getCause()).getSqlState());
        Map<String, String> tx = transactions(written);
        assertEquals(3, tx.size());
        assertNotEquals(
                tx.get(second.get().order().orderId),
                tx.get(third.get().order().orderId),
                "each written again in a transaction of its own");
        assertEquals(3, commands(tx.keySet()), "nothing of the failed transaction stays");
    }

    private record Buyer(
            long userId, String key, Map<String, ItemRequest> items, Map<String, NewOrders.Offer> offers) {}

    private Buyer aBuyer() {
        long userId = Api.signup(Api.uniqueEmail());
        Catalog.Created bag = Catalog.product(adminSession(), Catalog.uniqueBrand(), "Batch bag", 1_000_000, 2, "", 1);
        Map<String, NewOrders.Offer> offers = NewOrders.offers(
                pool.preparedQuery(NewOrders.OFFERS)
                        .execute(Tuple.of((Object) new String[] {bag.sku()}))
                        .await()
                        .atMost(WAIT),
                Map.of());
        Map<String, ItemRequest> items = new HashMap<>();
        items.put(bag.sku(), new ItemRequest(bag.sku(), 1, 1_000_000L));
        return new Buyer(userId, UUID.randomUUID().toString(), items, offers);
    }

    private CompletableFuture<NewOrders.Placed> place(Buyer buyer, String key) {
        ShippingAddress address = new ShippingAddress();
        address.recipient = "김배치";
        address.phone = "010-1234-5678";
        address.zipCode = "06236";
        address.address1 = "서울 강남구 테헤란로 1";
        NewOrders.Placed order = newOrders.newOrder(
                NewOrders.newOrderId(Instant.now()),
                buyer.userId(),
                buyer.key() + "-" + key,
                address,
                buyer.items(),
                buyer.offers(),
                null);
        return batches.place(order).subscribeAsCompletionStage();
    }

    /** Each order's transaction id ({@code xmin} of its row), by order id. */
    private Map<String, String> transactions(List<NewOrders.Placed> orders) {
        Map<String, String> tx = new HashMap<>();
        for (Row row : pool.preparedQuery("select order_id, xmin::text as tx from orders where order_id = any($1)")
                .execute(Tuple.of(
                        (Object) orders.stream().map(p -> p.order().orderId).toArray(String[]::new)))
                .await()
                .atMost(WAIT)) {
            tx.put(row.getString("order_id"), row.getString("tx"));
        }
        return tx;
    }

    private long commands(java.util.Collection<String> orderIds) {
        return pool.preparedQuery(
                        "select count(*) from outbox where aggregate_type = 'order' and aggregate_id = any($1)")
                .execute(Tuple.of((Object) orderIds.toArray(String[]::new)))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getLong(0);
    }

    /** Holds the buyer's row: an order's foreign key check waits for it. */
    private SqlConnection hold(long userId) {
        SqlConnection holder = pool.getConnection().await().atMost(WAIT);
        holder.query("begin").execute().await().atMost(WAIT);
        holder.preparedQuery("select 1 from users where id = $1 for update")
                .execute(Tuple.of(userId))
                .await()
                .atMost(WAIT);
        return holder;
    }

    private static void release(SqlConnection holder) {
        holder.query("commit").execute().await().atMost(WAIT);
        holder.close().await().atMost(WAIT);
    }
}
