package com.sansam.runtime.async;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Waiting for several operations that run at once until every one has ended, success or failure (JavaScript's
 * {@code Promise.allSettled}): {@link #all} answers their outcomes in the order given, so the caller decides which
 * failure counts, and nothing is left running behind a failure that came first.
 */
public final class Settled {

    private Settled() {}

    /** The answer of the operation, or its failure as the item. */
    public static <T> Uni<Object> outcome(Uni<T> operation) {
        return operation.map(answer -> (Object) answer).onFailure().recoverWithItem(failure -> failure);
    }

    /**
     * Subscribes to the operations in list order (a pipelining client queues them in that order) and answers every
     * outcome once all have ended: an answer, or the {@link Throwable} it failed with.
     */
    public static Uni<List<Object>> all(List<? extends Uni<?>> operations) {
        List<Uni<Object>> outcomes =
                operations.stream().<Uni<Object>>map(Settled::outcome).toList();
        return Uni.combine().all().unis(outcomes).with(Object.class, answers -> answers);
    }

    /** The first failure among the outcomes, in their order, rethrown; else the outcomes. */
    public static List<Object> orFirstFailure(List<Object> outcomes) {
        for (Object outcome : outcomes) {
            if (outcome instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (outcome instanceof Throwable failure) {
                throw new IllegalStateException(failure);
            }
        }
        return outcomes;
    }
}
