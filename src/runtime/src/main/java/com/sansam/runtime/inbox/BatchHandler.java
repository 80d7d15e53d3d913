package com.sansam.runtime.inbox;

import com.sansam.messages.Envelope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.List;
import java.util.function.Supplier;

/**
 * A {@link MessageHandler} that can apply many messages of a channel in one transaction on the reactive SQL client
 * (group commit): the hot paths, where one transaction per message costs more than the work itself.
 * <p>
 * The {@link InboxProcessor} gathers consecutive messages of one lane for which {@link #batches} is true, records
 * their ids in the inbox and calls {@link #handleBatch} with the new ones, in arrival order, all in one
 * transaction. A message the batch leaves to {@link #handle} (see {@link Result#declined()}) is taken out of the
 * inbox again in that transaction and then handled alone, after the batch committed. When the batch transaction
 * fails, every message of it goes through the single-message path (with its retries and dead letters), where a
 * batchable message is applied by {@link #handleBatch} with a list of one: there is one implementation of each rule.
 */
public interface BatchHandler extends MessageHandler {

    /** Whether the message is applied by {@link #handleBatch} (otherwise by {@link #handle}). */
    boolean batches(Envelope envelope);

    /**
     * Applies the messages inside the transaction running on {@code connection}, in the order given. May leave some
     * to {@link #handle}: then also every later message of the same aggregate, so their order is kept.
     */
    Uni<Result> handleBatch(SqlConnection connection, List<Envelope> envelopes);

    /** What a batch did: the messages it left to {@link #handle}, and the work to run once it committed. */
    record Result(List<Envelope> declined, Supplier<Uni<Void>> afterCommit) {

        public static Result done() {
            return new Result(List.of(), () -> Uni.createFrom().voidItem());
        }
    }
}
