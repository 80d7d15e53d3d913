package com.sansam.runtime.inbox;

import com.sansam.messages.Bundles;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Takes a broker message that is a bundle ({@link Bundles}) apart into one message per envelope, each carrying its
 * own trace context. The broker message is settled once every one of them is: acknowledged when all were, rejected
 * (to the dead letters, with the first failure) when any was. An envelope applied before such a rejection stays
 * applied and is a duplicate (changing nothing) if the bundle is ever delivered again.
 */
final class BundledMessages {

    private BundledMessages() {}

    /** The bundle's messages, or the message itself when it is not a bundle (or an unreadable one: dead-lettered). */
    static List<Message<String>> split(Message<String> message) {
        String body = IncomingMessages.bodyOf(message.getPayload());
        if (!Bundles.isBundle(body)) {
            return List.of(message);
        }
        List<Bundles.Entry> entries;
        try {
            entries = Bundles.entries(body);
        } catch (IllegalArgumentException unreadable) {
            return List.of(message);
        }
        Settlement settlement = new Settlement(message, entries.size());
        return entries.stream()
                .map(entry -> Message.of(
                        entry.envelope(),
                        Metadata.of(new DeliveredHeaders(entry.traceParent())),
                        settlement::ack,
                        settlement::nack))
                .toList();
    }

    /** Counts the bundle's messages down as they are settled, and settles the broker message after the last. */
    private static final class Settlement {
        private final Message<String> bundle;
        private final AtomicInteger unsettled;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Settlement(Message<String> bundle, int size) {
            this.bundle = bundle;
            this.unsettled = new AtomicInteger(size);
        }

        CompletionStage<Void> ack() {
            return settled();
        }

        CompletionStage<Void> nack(Throwable cause) {
            failure.compareAndSet(null, cause);
            return settled();
        }

        private CompletionStage<Void> settled() {
            if (unsettled.decrementAndGet() != 0) {
                return CompletableFuture.completedFuture(null);
            }
            Throwable cause = failure.get();
            return cause == null ? bundle.ack() : bundle.nack(cause);
        }
    }
}
