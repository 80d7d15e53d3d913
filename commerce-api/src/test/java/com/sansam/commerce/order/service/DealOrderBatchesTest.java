package com.sansam.commerce.order.service;

import static com.sansam.commerce.support.Api.adminSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sansam.commerce.deal.service.DealPurchases;
import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Deals;
import com.sansam.runtime.db.Pipelined;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link DealOrderBatches} against the test database: orders of a deal that wait while its transaction is in flight
 * share the next one (one transaction id), and when that one fails each is placed alone, in order, with its own outcome.
 * The deal's row lock is held by the test while the orders arrive, so which orders wait together is certain.
 */
@QuarkusTest
class DealOrderBatchesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TICKET = "select $1::int as n, txid_current() as tx";
    private static final String BROKEN = "select 1 / $1::int as n, txid_current() as tx";

    @Inject
    DealOrderBatches batches;

    @Inject
    Pool pool;

    @Test
    void ordersWaitingTogetherShareOneTransaction() throws Exception {
        long dealId = aDeal();
        SqlConnection holder = holdTheLock(dealId);
        CompletableFuture<Row> first = place(dealId, TICKET, 1); // taken at once, waits for the lock
        CompletableFuture<Row> second = place(dealId, TICKET, 2);
        CompletableFuture<Row> third = place(dealId, TICKET, 3);
        CompletableFuture<Row> fourth = place(dealId, TICKET, 4);
        release(holder);

        assertEquals(1, first.get(30, TimeUnit.SECONDS).getInteger("n"));
        long together = second.get(30, TimeUnit.SECONDS).getLong("tx");
        assertEquals(2, second.get().getInteger("n"));
        assertEquals(3, third.get(30, TimeUnit.SECONDS).getInteger("n"));
        assertEquals(4, fourth.get(30, TimeUnit.SECONDS).getInteger("n"));
        assertEquals(together, third.get().getLong("tx"), "the orders that waited share one transaction");
        assertEquals(together, fourth.get().getLong("tx"));
        assertNotEquals(together, first.get().getLong("tx"));
    }

    @Test
    void aFailedTransactionPlacesEachOfItsOrdersAloneInOrder() throws Exception {
        long dealId = aDeal();
        SqlConnection holder = holdTheLock(dealId);
        CompletableFuture<Row> first = place(dealId, TICKET, 1);
        CompletableFuture<Row> second = place(dealId, TICKET, 2);
        CompletableFuture<Row> broken = place(dealId, BROKEN, 0);
        CompletableFuture<Row> third = place(dealId, TICKET, 3);
        release(holder);

        assertEquals(1, first.get(30, TimeUnit.SECONDS).getInteger("n"));
        assertEquals(2, second.get(30, TimeUnit.SECONDS).getInteger("n"));
        assertEquals(3, third.get(30, TimeUnit.SECONDS).getInteger("n"));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> broken.get(30, TimeUnit.SECONDS));
        assertEquals(
                "22012", assertInstanceOf(PgException.class, failure.getCause()).getSqlState());
        assertNotEquals(
                second.get().getLong("tx"), third.get().getLong("tx"), "each placed again in a transaction of its own");
    }

    private CompletableFuture<Row> place(long dealId, String sql, int value) {
        return batches.place(dealId, new Pipelined.Statement(sql, Tuple.of(value)))
                .map(RowSet::iterator)
                .map(java.util.Iterator::next)
                .subscribeAsCompletionStage();
    }

    private SqlConnection holdTheLock(long dealId) {
        SqlConnection holder = pool.getConnection().await().atMost(WAIT);
        holder.query("begin").execute().await().atMost(WAIT);
        holder.preparedQuery(DealPurchases.LOCK)
                .execute(Tuple.of(dealId))
                .await()
                .atMost(WAIT);
        return holder;
    }

    private static void release(SqlConnection holder) {
        holder.query("commit").execute().await().atMost(WAIT);
        holder.close().await().atMost(WAIT);
    }

    private static long aDeal() {
        String admin = adminSession();
        Catalog.Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Batch bag", 1_000_000, 2, "", 1, 5);
        Instant inAnHour = Instant.now().plus(1, ChronoUnit.HOURS);
        return Deals.open(
                admin,
                Deals.deal(
                        bag.id(),
                        List.of(Deals.dealLine(bag.sku(), 500_000, 5)),
                        1,
                        inAnHour,
                        inAnHour.plus(2, ChronoUnit.HOURS)));
    }
}
