package com.sansam.commerce.notification.messaging;

import com.sansam.commerce.notification.service.NotificationTriggers;
import com.sansam.messages.ChatEvents;
import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.runtime.inbox.InboxConsumers;
import com.sansam.runtime.inbox.MessageHandler;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** chat-gateway's facts (each applied once through the inbox): an offline member's unread chat becomes a notice. */
@ApplicationScoped
public class ChatEventsHandler implements MessageHandler {

    public static final String CHANNEL = "chat-events";

    private final NotificationTriggers notices;

    public ChatEventsHandler(NotificationTriggers notices) {
        this.notices = notices;
    }

    /** Consumes the channel for the life of the service (kept alive by {@link InboxConsumers}). */
    void start(
            @Observes StartupEvent event, InboxConsumers consumers, @Channel(CHANNEL) Multi<Message<String>> messages) {
        consumers.consume(CHANNEL, messages);
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public Uni<Void> handle(Envelope envelope) {
        if (!"ChatMessageUnread".equals(envelope.type())) {
            return Uni.createFrom().voidItem();
        }
        ChatEvents.ChatMessageUnread unread = Messages.payload(envelope, ChatEvents.ChatMessageUnread.class);
        return notices.chatUnread(
                unread.userId(), unread.roomId(), unread.roomName(), unread.senderName(), unread.messageId());
    }
}
