package com.sansam.commerce.account.service;

import com.sansam.commerce.account.model.User;
import com.sansam.messages.Messages;
import com.sansam.messages.UserEvents;
import com.sansam.runtime.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Publishes user facts (through the outbox, in the caller's transaction) for the chat-gateway. */
@ApplicationScoped
public class AccountEvents {

    private final Outbox outbox;

    public AccountEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    private Uni<Void> publish(User user, Object event) {
        return outbox.add(Messages.USER_EVENTS_EXCHANGE, "user", Long.toString(user.id), event)
                .replaceWithVoid();
    }

    Uni<Void> registered(User user) {
        return publish(user, new UserEvents.UserRegistered(user.id, user.name, user.annualIncome))
                .replaceWithVoid();
    }

    Uni<Void> profileChanged(User user) {
        return publish(user, new UserEvents.UserProfileChanged(user.id, user.name, user.annualIncome))
                .replaceWithVoid();
    }

    Uni<Void> withdrawn(User user) {
        return publish(user, new UserEvents.UserWithdrawn(user.id)).replaceWithVoid();
    }
}
