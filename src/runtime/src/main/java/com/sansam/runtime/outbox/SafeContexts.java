package com.sansam.runtime.outbox;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Runs reactive database work started outside a request (timers, nudges) on a fresh, safe duplicated context. */
public final class SafeContexts {

    private static final Logger LOG = Logger.getLogger(SafeContexts.class);

    private SafeContexts() {}

    public static void fireAndForget(Vertx vertx, String what, Supplier<Uni<?>> work) {
        onSafeContext(vertx, work::get).subscribe().with(item -> {}, failure -> LOG.warnf(failure, "%s failed", what));
    }

    /**
     * Runs the work every {@code interval} on a fresh, safe duplicated context, skipping a round while the last one is
     * still under way (for rounds shorter than the scheduler's one second); a failed round is logged and the next one
     * tries again. Answers the timer's id (to cancel it).
     */
    public static long every(Vertx vertx, Duration interval, String what, Supplier<Uni<?>> work) {
        AtomicBoolean running = new AtomicBoolean();
        return vertx.setPeriodic(interval.toMillis(), id -> {
            if (running.compareAndSet(false, true)) {
                onSafeContext(vertx, work::get).subscribe().with(ignored -> running.set(false), failure -> {
                    running.set(false);
                    LOG.warnf("%s failed (tried again next round): %s", what, failure.toString());
                });
            }
        });
    }

    /**
     * Runs the work on a fresh, safe duplicated context and blocks the calling thread (never an event loop) until it
     * answers, at most {@code timeout}.
     */
    public static <T> T await(Vertx vertx, Supplier<Uni<T>> work, Duration timeout) {
        return onSafeContext(vertx, work).await().atMost(timeout);
    }

    /** Runs the work on a fresh, safe duplicated context (from any thread) and answers its result. */
    public static <T> Uni<T> onSafeContext(Vertx vertx, Supplier<Uni<T>> work) {
        return onSafeContext(vertx.getOrCreateContext(), work);
    }

    /**
     * An event-loop context of its own, on the next event loop (round robin): work that must not all pile onto the
     * event loop of whoever calls (a message consumer's lanes) gets one each.
     */
    public static Context newEventLoopContext(Vertx vertx) {
        return ((io.vertx.core.impl.VertxInternal) vertx).createEventLoopContext();
    }

    /** Runs the work on a fresh, safe duplicated context of {@code base} and answers its result. */
    public static <T> Uni<T> onSafeContext(Context base, Supplier<Uni<T>> work) {
        Context context = VertxContext.createNewDuplicatedContext(base);
        VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom()
                .emitter(emitter ->
                        context.runOnContext(ignored -> work.get().subscribe().with(emitter::complete, emitter::fail)));
    }
}
