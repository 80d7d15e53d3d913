package com.sansam.contracts.outbox;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Runs reactive database work started outside a request (timers, nudges) on a fresh, safe duplicated context. */
public final class SafeContexts {

    private static final Logger LOG = Logger.getLogger(SafeContexts.class);

    private SafeContexts() {}

    public static void fireAndForget(Vertx vertx, String what, Supplier<Uni<?>> work) {
        onSafeContext(vertx, work::get).subscribe().with(item -> {}, failure -> LOG.warnf(failure, "%s failed", what));
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
