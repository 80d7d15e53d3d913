package com.sansam.chat.messaging;

import com.sansam.contracts.Messages;
import com.sansam.contracts.outbox.OutboxChannels;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** chat-gateway publishes chat facts (unread messages for offline members) for commerce-api's notices. */
@ApplicationScoped
public class ChatOutboxChannels implements OutboxChannels {

    private final MutinyEmitter<String> chatEvents;

    public ChatOutboxChannels(@Channel("chat-events-out") MutinyEmitter<String> chatEvents) {
        this.chatEvents = chatEvents;
    }

    @Override
    public MutinyEmitter<String> emitterFor(String exchange) {
        return Messages.CHAT_EVENTS_EXCHANGE.equals(exchange) ? chatEvents : null;
    }
}
