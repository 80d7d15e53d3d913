package com.sansam.commerce.messaging;

import com.sansam.commerce.catalog.service.AvailabilityService;
import com.sansam.contracts.Envelope;
import com.sansam.contracts.Messages;
import com.sansam.contracts.StockEvents;
import com.sansam.contracts.inbox.InboxProcessor;
import com.sansam.contracts.inbox.MessageHandler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Consumes the stock-worker's events (each applied once through the inbox) and routes them to the features. */
@ApplicationScoped
public class StockEventsHandler implements MessageHandler {

    public static final String CHANNEL = "stock-events";

    private final InboxProcessor inbox;
    private final AvailabilityService availability;

    public StockEventsHandler(InboxProcessor inbox, AvailabilityService availability) {
        this.inbox = inbox;
        this.availability = availability;
    }

    @Incoming(CHANNEL)
    public Uni<Void> onMessage(Message<String> message) {
        return inbox.consume(CHANNEL, message);
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public Uni<Void> handle(Envelope envelope) {
        return switch (envelope.type()) {
            case "StockChanged" -> availability.stockChanged(Messages.payload(envelope, StockEvents.StockChanged.class));
            default -> Uni.createFrom().voidItem();
        };
    }
}
