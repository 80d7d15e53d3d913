package com.sansam.chat.room.messaging;

import com.sansam.chat.room.model.RoomEvent;
import com.sansam.chat.room.service.RoomEvents;
import com.sansam.chat.room.service.RoomService;
import com.sansam.chat.user.model.ChatUser;
import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.messages.UserEvents;
import com.sansam.runtime.inbox.InboxConsumers;
import com.sansam.runtime.inbox.MessageHandler;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Keeps {@link ChatUser} up to date from commerce-api's user events (each applied once). */
@ApplicationScoped
public class UserFactsHandler implements MessageHandler {

    public static final String CHANNEL = "user-events";

    private final RoomService rooms;
    private final RoomEvents fanout;

    public UserFactsHandler(RoomService rooms, RoomEvents fanout) {
        this.rooms = rooms;
        this.fanout = fanout;
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
        return switch (envelope.type()) {
            case "UserRegistered" -> {
                UserEvents.UserRegistered e = Messages.payload(envelope, UserEvents.UserRegistered.class);
                yield upsert(e.userId(), user -> {
                    user.name = e.name();
                    user.annualIncome = e.annualIncome();
                });
            }
            case "UserProfileChanged" -> {
                UserEvents.UserProfileChanged e = Messages.payload(envelope, UserEvents.UserProfileChanged.class);
                yield upsert(e.userId(), user -> {
                    user.name = e.name();
                    user.annualIncome = e.annualIncome();
                });
            }
            case "LifetimeSpendChanged" -> {
                UserEvents.LifetimeSpendChanged e = Messages.payload(envelope, UserEvents.LifetimeSpendChanged.class);
                yield upsert(e.userId(), user -> user.lifetimeSpend = e.lifetimeSpend());
            }
            case "UserWithdrawn" -> {
                UserEvents.UserWithdrawn e = Messages.payload(envelope, UserEvents.UserWithdrawn.class);
                yield upsert(e.userId(), user -> {
                            user.withdrawn = true;
                            user.name = "(withdrawn)";
                            user.annualIncome = null;
                        })
                        .chain(() -> rooms.removeEverywhere(e.userId()))
                        .replaceWithVoid();
            }
            default -> Uni.createFrom().voidItem(); // facts the gateway does not need
        };
    }

    /** A withdrawn user's open connections are closed on every replica once their removal has committed. */
    @Override
    public Uni<Void> afterCommit(Envelope envelope) {
        if (!"UserWithdrawn".equals(envelope.type())) {
            return Uni.createFrom().voidItem();
        }
        long userId = Messages.payload(envelope, UserEvents.UserWithdrawn.class).userId();
        return fanout.publish(RoomEvent.kicked(userId));
    }

    private static Uni<Void> upsert(long userId, Consumer<ChatUser> change) {
        return ChatUser.<ChatUser>findById(userId).chain(found -> {
            ChatUser user = found;
            if (user == null) {
                user = new ChatUser();
                user.userId = userId;
                user.name = "";
            }
            change.accept(user);
            user.updatedAt = Instant.now();
            return user.persist().replaceWithVoid();
        });
    }
}
