package com.sansam.stock.messaging;

import com.sansam.contracts.Messages;
import com.sansam.contracts.outbox.OutboxChannels;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** stock-worker publishes stock events only. */
@ApplicationScoped
public class StockOutboxChannels implements OutboxChannels {

    private final MutinyEmitter<String> stockEvents;

    public StockOutboxChannels(@Channel("stock-events-out") MutinyEmitter<String> stockEvents) {
        this.stockEvents = stockEvents;
    }

    @Override
    public MutinyEmitter<String> emitterFor(String exchange) {
        return Messages.STOCK_EVENTS_EXCHANGE.equals(exchange) ? stockEvents : null;
    }
}
