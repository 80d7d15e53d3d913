package com.sansam.stock.inventory.messaging;

import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.messages.StockCommands;
import com.sansam.runtime.broker.Topology;
import com.sansam.runtime.inbox.BatchHandler;
import com.sansam.runtime.inbox.InboxConsumers;
import com.sansam.runtime.inbox.PermanentFailure;
import com.sansam.runtime.inbox.ShardedQueues;
import com.sansam.stock.inventory.service.DealPools;
import com.sansam.stock.inventory.service.ReservationBatch;
import com.sansam.stock.inventory.service.StockService;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/** Consumes the stock commands (a sharded queue); each command is applied once through the inbox. */
@ApplicationScoped
public class StockCommandHandler implements BatchHandler {

    public static final String CHANNEL = "stock-commands";

    private final StockService stock;
    private final ReservationBatch reservations;
    private final DealPools deals;

    public StockCommandHandler(StockService stock, ReservationBatch reservations, DealPools deals) {
        this.stock = stock;
        this.reservations = reservations;
        this.deals = deals;
    }

    /**
     * Consumes the command queue's shards this replica holds, for the life of the service (kept alive by
     * {@link InboxConsumers}; the replicas share the shards out among themselves: {@link ShardedQueues}).
     */
    void start(@Observes StartupEvent event, InboxConsumers consumers, ShardedQueues shards) {
        consumers.consume(CHANNEL, shards.consume(Topology.route(Messages.STOCK_COMMANDS_EXCHANGE)));
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    /** Reservations, the bulk of a drop, are applied many to a transaction; the rarer commands one by one. */
    @Override
    public boolean batches(Envelope envelope) {
        return "ReserveStock".equals(envelope.type());
    }

    @Override
    public Uni<Result> handleBatch(SqlConnection connection, List<Envelope> envelopes) {
        return reservations
                .reserveAll(
                        connection,
                        envelopes.stream()
                                .map(envelope -> Messages.payload(envelope, StockCommands.ReserveStock.class))
                                .toList())
                .replaceWith(Result.done());
    }

    @Override
    public Uni<Void> handle(Envelope envelope) {
        return switch (envelope.type()) {
            case "CommitReservation" -> stock.commit(Messages.payload(envelope, StockCommands.CommitReservation.class));
            case "ReleaseReservation" ->
                stock.release(Messages.payload(envelope, StockCommands.ReleaseReservation.class));
            case "RestoreStock" -> stock.restore(Messages.payload(envelope, StockCommands.RestoreStock.class));
            case "AdjustStock" -> stock.adjust(Messages.payload(envelope, StockCommands.AdjustStock.class));
            case "SetAsideDealStock" ->
                deals.setAside(Messages.payload(envelope, StockCommands.SetAsideDealStock.class));
            case "CloseDeal" -> deals.closeDeal(Messages.payload(envelope, StockCommands.CloseDeal.class));
            default -> Uni.createFrom().failure(new PermanentFailure("Unknown stock command " + envelope.type()));
        };
    }
}
