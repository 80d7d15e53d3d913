package com.sansam.runtime.inbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.function.Function;

/** The dead letters an admin replays (the {@link InboxProcessor} stores them when a message failed every try). */
@ApplicationScoped
public class DeadLetters {

    private final InboxProcessor processor;

    public DeadLetters(InboxProcessor processor) {
        this.processor = processor;
    }

    /** Runs a dead letter through its handler again; answers it with its new state. */
    public Uni<DeadLetter> replay(long id) {
        return Panache.withSession(() -> DeadLetter.<DeadLetter>findById(id)).chain(letter -> {
            if (letter == null || letter.replayedAt != null) {
                return Uni.createFrom().item(letter);
            }
            return processor
                    .process(letter.channel, letter.body)
                    .map(ignored -> (Throwable) null)
                    .onFailure()
                    .recoverWithItem(Function.identity())
                    .chain(failure -> Panache.withTransaction(() -> DeadLetter.<DeadLetter>findById(id)
                            .invoke(stored -> {
                                stored.attempts++;
                                if (failure == null) {
                                    stored.replayedAt = Instant.now();
                                } else {
                                    stored.error = String.valueOf(failure);
                                }
                            })));
        });
    }
}
