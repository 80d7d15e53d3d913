package com.sansam.commerce.order.service;

import com.sansam.commerce.deal.service.DealPurchases;
import com.sansam.runtime.async.GroupCommit;
import com.sansam.runtime.db.Pipelined;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit of a deal's orders on this replica. The orders of one deal that arrive while its transaction is in
 * flight go together in the next one: the deal's row lock once, then each order's statement (each sees the orders
 * before it in the same transaction, so the deal's rules hold for all of them as when they came one by one), one
 * commit. A buyer waits for at most one transaction ahead and their own, instead of queueing for the deal's lock
 * behind every order of the drop, each with a commit of its own. Replicas still take the lock in turn.
 * <p>
 * When the transaction fails (a repeated Idempotency-Key's unique violation, a lost connection), each of its orders is
 * placed again alone, in arrival order, and gets its own outcome; orders that arrive meanwhile wait, so the order of
 * arrival is kept (runtime's {@link GroupCommit}, a lane per deal).
 */
@ApplicationScoped
class DealOrderBatches {

    /** Orders in one transaction at most. */
    static final int MAX_BATCH = 32;

    private final Pool pool;
    /** A lane per deal ordered on this replica (a few objects each, for the life of the replica). */
    private final GroupCommit<Pipelined.Statement, RowSet<Row>> deals;

    DealOrderBatches(Pool pool) {
        this.pool = pool;
        this.deals = GroupCommit.perKey(MAX_BATCH, this::together);
    }

    /**
     * Runs {@code statement} (one order's) after the deal's row lock, in the next transaction of the deal on this
     * replica; answers its rows, on the caller's context.
     */
    Uni<RowSet<Row>> place(long dealId, Pipelined.Statement statement) {
        return deals.submit(dealId, statement);
    }

    /**
     * One transaction for a batch of the deal's orders: the deal's lock, then each order's statement. Timed by part, once
     * per batch ({@code sansam.order.step}): the wait for a pooled connection ({@code deal-connection}) and the
     * transaction on it ({@code deal-statements}); an order's {@code deal-transaction} less these is its wait in the
     * deal's lane.
     */
    private Uni<List<RowSet<Row>>> together(long dealId, List<Pipelined.Statement> batch) {
        List<Pipelined.Statement> statements = new ArrayList<>();
        statements.add(new Pipelined.Statement(DealPurchases.LOCK, Tuple.of(dealId)));
        statements.addAll(batch);
        return OrderMeters.step("deal-connection", pool.getConnection())
                .chain(connection -> OrderMeters.step(
                                "deal-statements", Pipelined.everyStatement(connection, statements))
                        .eventually(connection::close))
                .map(rows -> rows.subList(1, rows.size()));
    }
}
