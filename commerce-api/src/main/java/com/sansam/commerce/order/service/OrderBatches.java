package com.sansam.commerce.order.service;

import com.sansam.runtime.async.GroupCommit;
import com.sansam.runtime.db.Pipelined;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit of regular orders on this replica: the orders that arrive while a lane's transaction is in flight are
 * written together in its next one (each order's one statement, sent at once with {@code BEGIN} and {@code COMMIT}:
 * one round trip and one commit for all of them). A quiet shop writes each order alone at once, in a statement that
 * is its own transaction, as before; a busy one pays one commit, one WAL flush, for many.
 * <p>
 * A buyer's orders go to the same lane (by user id), so they are written in the order they arrived. When a
 * transaction fails (a repeated Idempotency-Key's unique violation, a lost connection), each of its orders is written
 * again alone, in arrival order, and gets its own outcome (runtime's {@link GroupCommit}).
 */
@ApplicationScoped
class OrderBatches {

    /** Lanes, each with at most one transaction in flight: a few, so batches form under load. */
    static final int LANES = 4;
    /** Orders in one transaction at most. */
    static final int MAX_BATCH = 32;

    private final Pool pool;
    private final NewOrders newOrders;
    private final GroupCommit<NewOrders.Placed, NewOrders.Placed> lanes;

    OrderBatches(Pool pool, NewOrders newOrders) {
        this.pool = pool;
        this.newOrders = newOrders;
        this.lanes = new GroupCommit<>(LANES, MAX_BATCH, this::together);
    }

    /** Writes the order in its buyer's lane's next transaction; answers it with its key, on the caller's context. */
    Uni<NewOrders.Placed> place(NewOrders.Placed placed) {
        return lanes.submit(placed.order().userId, placed);
    }

    private Uni<List<NewOrders.Placed>> together(List<NewOrders.Placed> batch) {
        if (batch.size() == 1) {
            return newOrders.insert(pool, batch.get(0)).map(List::of);
        }
        List<Pipelined.Statement> statements =
                batch.stream().map(newOrders::statement).toList();
        return pool.withConnection(connection -> Pipelined.everyStatement(connection, statements))
                .map(rows -> {
                    List<NewOrders.Placed> placed = new ArrayList<>();
                    for (int i = 0; i < batch.size(); i++) {
                        placed.add(NewOrders.keyed(batch.get(i), rows.get(i)));
                    }
                    return placed;
                });
    }
}
