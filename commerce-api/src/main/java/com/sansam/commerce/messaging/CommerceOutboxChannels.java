package com.sansam.commerce.messaging;

import com.sansam.contracts.Messages;
import com.sansam.contracts.outbox.OutboxChannels;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** commerce-api publishes stock commands and user facts. */
@ApplicationScoped
public class CommerceOutboxChannels implements OutboxChannels {

    private final MutinyEmitter<String> stockCommands;
    private final MutinyEmitter<String> userEvents;

    public CommerceOutboxChannels(@Channel("stock-commands-out") MutinyEmitter<String> stockCommands,
                                  @Channel("user-events-out") MutinyEmitter<String> userEvents) {
        this.stockCommands = stockCommands;
        this.userEvents = userEvents;
    }

    @Override
    public MutinyEmitter<String> emitterFor(String exchange) {
        return switch (exchange) {
            case Messages.STOCK_COMMANDS_EXCHANGE -> stockCommands;
            case Messages.USER_EVENTS_EXCHANGE -> userEvents;
            default -> null;
        };
    }
}
