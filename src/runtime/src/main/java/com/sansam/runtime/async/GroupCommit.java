package com.sansam.runtime.async;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Group commit: requests that arrive while an earlier batch is being written share the next transaction.
 * <p>
 * Requests go to a lane by a key: either one of a fixed number of lanes ({@code key} modulo their number: the chat's
 * rooms) or a lane of each key's own ({@link #perKey}: a deal's orders, which a batch locks once). A lane writes one
 * batch at a time, and whatever queues up in it meanwhile (up to {@code maxBatch}) goes in its next batch. So a quiet
 * service writes each request alone, at once, a busy one pays one commit for many, and the requests of one key are
 * written, and their batches finished, strictly one after another in arrival order. Each request's {@code Uni}
 * completes only after its batch has finished, on the Vert.x context it was submitted from (when there is one).
 * <p>
 * A batch that fails as a whole (a lost connection, a deadlock, one request's constraint violation) is written again
 * one request per transaction, in order, so one bad request never fails the others with it.
 */
public final class GroupCommit<I, O> {

    private record Pending<I, O>(I request, UniEmitter<? super O> answer, Context caller) {

        void complete(O outcome) {
            onCaller(() -> answer.complete(outcome));
        }

        void fail(Throwable failure) {
            onCaller(() -> answer.fail(failure));
        }

        private void onCaller(Runnable action) {
            if (caller == null) {
                action.run();
            } else {
                caller.runOnContext(ignored -> action.run());
            }
        }
    }

    private final class Lane {
        final long key;
        final Queue<Pending<I, O>> queue = new ConcurrentLinkedQueue<>();
        final AtomicBoolean writing = new AtomicBoolean();

        Lane(long key) {
            this.key = key;
        }

        void drain() {
            while (!queue.isEmpty() && writing.compareAndSet(false, true)) {
                List<Pending<I, O>> batch = new ArrayList<>();
                for (Pending<I, O> next; batch.size() < maxBatch && (next = queue.poll()) != null; ) {
                    batch.add(next);
                }
                if (batch.isEmpty()) {
                    writing.set(false);
                    continue; // another drain took them; look again
                }
                write(key, batch).subscribe().with(ok -> finished(), failure -> finished());
                return;
            }
        }

        private void finished() {
            writing.set(false);
            drain();
        }
    }

    /** The fixed lanes (empty: a lane per key, in {@link #byKey}). */
    private final List<Lane> lanes = new ArrayList<>();

    private final Map<Long, Lane> byKey = new ConcurrentHashMap<>();
    private final int maxBatch;
    /** Writes a batch of a lane (its key) in one transaction; answers one outcome per request, in their order. */
    private final BiFunction<Long, List<I>, Uni<List<O>>> write;

    /** {@code lanes} lanes shared by the keys (key modulo lanes); {@code write} gets one lane's batch. */
    public GroupCommit(int lanes, int maxBatch, Function<List<I>, Uni<List<O>>> write) {
        this(maxBatch, (key, batch) -> write.apply(batch));
        for (int i = 0; i < lanes; i++) {
            this.lanes.add(new Lane(i));
        }
    }

    private GroupCommit(int maxBatch, BiFunction<Long, List<I>, Uni<List<O>>> write) {
        this.maxBatch = maxBatch;
        this.write = write;
    }

    /**
     * A lane of each key's own (kept for the life of the object: a few objects per key), so that a batch holds the
     * requests of one key only; {@code write} gets the key and its batch.
     */
    public static <I, O> GroupCommit<I, O> perKey(int maxBatch, BiFunction<Long, List<I>, Uni<List<O>>> write) {
        return new GroupCommit<>(maxBatch, write);
    }

    public Uni<O> submit(long key, I request) {
        Lane lane = lanes.isEmpty()
                ? byKey.computeIfAbsent(key, Lane::new)
                : lanes.get((int) Math.floorMod(key, (long) lanes.size()));
        Context caller = Vertx.currentContext();
        return Uni.createFrom().emitter(answer -> {
            lane.queue.add(new Pending<>(request, answer, caller));
            lane.drain();
        });
    }

    private Uni<Void> write(long key, List<Pending<I, O>> batch) {
        return Uni.createFrom()
                .deferred(() ->
                        write.apply(key, batch.stream().map(Pending::request).toList()))
                .invoke(outcomes -> {
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).complete(outcomes.get(i));
                    }
                })
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(failure -> {
                    if (batch.size() == 1) {
                        batch.get(0).fail(failure);
                        return Uni.createFrom().voidItem();
                    }
                    // one at a time: a request that fails on its own fails alone
                    Uni<Void> alone = Uni.createFrom().voidItem();
                    for (Pending<I, O> pending : batch) {
                        alone = alone.chain(() -> write(key, List.of(pending)));
                    }
                    return alone;
                });
    }
}
