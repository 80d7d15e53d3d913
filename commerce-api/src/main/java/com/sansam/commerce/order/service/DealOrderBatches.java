package com.sansam.commerce.order.service;

import com.sansam.commerce.deal.service.DealPurchases;
import com.sansam.runtime.db.Pipelined;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Group commit of a deal's orders on this replica. The orders of one deal that arrive while its transaction is in
 * flight go together in the next one: the deal's row lock once, then each order's statement (each sees the orders
 * before it in the same transaction, so the deal's rules hold for all of them as when they came one by one), one
 * commit. A buyer waits for at most one transaction ahead and their own, instead of queueing for the deal's lock
 * behind every order of the drop, each with a commit of its own. Replicas still take the lock in turn.
 * <p>
 * When the transaction fails (a repeated Idempotency-Key's unique violation, a lost connection), each of its orders is
 * placed again alone, in arrival order, and gets its own outcome; orders that arrive meanwhile wait, so the order of
 * arrival is kept.
 */
@ApplicationScoped
class DealOrderBatches {

    /** Orders in one transaction at most. */
    static final int MAX_BATCH = 32;

    private final Pool pool;
    /** One line per deal ordered on this replica (a few objects each, for the life of the replica). */
    private final Map<Long, Line> lines = new ConcurrentHashMap<>();

    DealOrderBatches(Pool pool) {
        this.pool = pool;
    }

    /**
     * Runs {@code statement} (one order's) after the deal's row lock, in the next transaction of the deal on this
     * replica; answers its rows, on the caller's context.
     */
    Uni<RowSet<Row>> place(long dealId, Pipelined.Statement statement) {
        Context caller = Vertx.currentContext();
        return Uni.createFrom()
                .emitter(emitter ->
                        lines.computeIfAbsent(dealId, Line::new).offer(new Pending(statement, emitter, caller)));
    }

    private record Pending(Pipelined.Statement statement, UniEmitter<? super RowSet<Row>> emitter, Context caller) {

        void answer(RowSet<Row> rows) {
            onCaller(() -> emitter.complete(rows));
        }

        void fail(Throwable failure) {
            onCaller(() -> emitter.fail(failure));
        }

        private void onCaller(Runnable action) {
            if (caller == null) {
                action.run();
            } else {
                caller.runOnContext(ignored -> action.run());
            }
        }
    }

    /** A deal's orders waiting on this replica, placed one transaction after the other. */
    private final class Line {
        private final long dealId;
        private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean busy = new AtomicBoolean();

        Line(long dealId) {
            this.dealId = dealId;
        }

        void offer(Pending pending) {
            waiting.add(pending);
            drain();
        }

        private void drain() {
            if (!busy.compareAndSet(false, true)) {
                return;
            }
            List<Pending> batch = new ArrayList<>();
            for (Pending next; batch.size() < MAX_BATCH && (next = waiting.poll()) != null; ) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                busy.set(false);
                if (!waiting.isEmpty()) {
                    drain(); // one arrived between the poll and the reset
                }
                return;
            }
            together(batch).subscribe().with(done -> next(), failure -> next());
        }

        private void next() {
            busy.set(false);
            drain();
        }

        /** One transaction for the batch; when it fails, each of its orders alone, in order. */
        private Uni<Void> together(List<Pending> batch) {
            List<Pipelined.Statement> statements = new ArrayList<>();
            statements.add(new Pipelined.Statement(DealPurchases.LOCK, Tuple.of(dealId)));
            batch.forEach(pending -> statements.add(pending.statement()));
            return pool.withConnection(connection -> Pipelined.everyStatement(connection, statements))
                    .invoke(rows -> {
                        for (int i = 0; i < batch.size(); i++) {
                            batch.get(i).answer(rows.get(i + 1));
                        }
                    })
                    .replaceWithVoid()
                    .onFailure()
                    .recoverWithUni(failure -> {
                        if (batch.size() == 1) {
                            batch.get(0).fail(failure);
                            return Uni.createFrom().voidItem();
                        }
                        return Multi.createFrom()
                                .iterable(batch)
                                .onItem()
                                .transformToUniAndConcatenate(pending -> together(List.of(pending)))
                                .collect()
                                .last()
                                .replaceWithVoid();
                    });
        }
    }
}
