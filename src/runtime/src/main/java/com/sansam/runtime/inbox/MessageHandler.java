package com.sansam.runtime.inbox;

import com.sansam.messages.Envelope;
import io.smallrye.mutiny.Uni;

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
}
