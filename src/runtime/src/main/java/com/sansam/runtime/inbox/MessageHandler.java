package com.sansam.runtime.inbox;

import com.sansam.messages.Envelope;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * Applies the messages of one incoming channel. {@link #handle} runs inside the transaction that also records the
 * message id in the inbox, so its effect happens once however often the message is delivered.
 */
public interface MessageHandler {

    /** The incoming channel this handler serves (also recorded on dead letters, for replay). */
    String channel();

    Uni<Void> handle(Envelope envelope);

    /**
     * Runs after the transaction of {@link #handle} committed (not for duplicates): for side effects that must
     * only see committed state, such as cache writes. Failures here are logged, never retried.
     */
    default Uni<Void> afterCommit(Envelope envelope) {
        return Uni.createFrom().voidItem();
    }

    /**
     * {@link #handle}, answering the work to run once its transaction committed ({@link #afterCommit} by default). A
     * handler whose after-commit work depends on what it found while handling overrides this and keeps that in the
     * work it answers, rather than in state of its own between the two calls.
     */
    default Uni<Supplier<Uni<Void>>> handleThen(Envelope envelope) {
        Supplier<Uni<Void>> after = () -> afterCommit(envelope);
        return handle(envelope).map(ignored -> after);
    }
}
