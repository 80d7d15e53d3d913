package com.sansam.commerce.order.service;

import com.sansam.messages.Messages;
import com.sansam.messages.UserEvents;
import com.sansam.runtime.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Publishes a user's lifetime paid spend after a payment or refund (the chat checks room conditions with it). */
@ApplicationScoped
public class SpendEvents {

    private final Outbox outbox;

    public SpendEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Call inside the transaction that changed the user's paid orders (after flushing them). */
    public Uni<Void> publish(long userId) {
        return Panache.getSession()
                .chain(session -> session.flush()
                        .chain(() -> session.createNativeQuery("""
                        select coalesce(sum(amount - cancelled_amount), 0) from orders
                        where user_id = :user and status in ('PAID', 'PARTIALLY_CANCELLED')""", Long.class)
                                .setParameter("user", userId)
                                .getSingleResult()))
                .chain(spend -> outbox.add(
                        Messages.USER_EVENTS_EXCHANGE,
                        "user",
                        Long.toString(userId),
                        new UserEvents.LifetimeSpendChanged(userId, spend)))
                .replaceWithVoid();
    }
}
