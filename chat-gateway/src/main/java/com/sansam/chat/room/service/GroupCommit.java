package com.sansam.chat.room.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Group commit: requests that arrive while an earlier batch is being written share the next transaction.
 * <p>
 * Requests go to one of {@code lanes} lanes by a key (the room): a lane writes one batch at a time, and whatever
 * queues up in it meanwhile (up to {@code maxBatch}) goes in its next batch. So a quiet gateway writes each request
 * alone, at once, a busy one pays one commit for many, and the requests of one key are written - and their batches
 * finished, announcements included - strictly one after another, in arrival order. Each request's {@code Uni}
 * completes only after its batch has finished.
 * <p>
 * A batch that fails as a whole (a lost connection, a deadlock) is written again one request per transaction, so one
 * bad request never fails the others with it.
 */
final class GroupCommit<I, O> {

    private record Pending<I, O>(I request, UniEmitter<? super O> answer) {}

    private final class Lane {
        final Queue<Pending<I, O>> queue = new ConcurrentLinkedQueue<>();
        final AtomicBoolean writing = new AtomicBoolean();

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
                write(batch).subscribe().with(ok -> finished(), failure -> finished());
                return;
            }
        }

        private void finished() {
            writing.set(false);
            drain();
        }
    }

    private final List<Lane> lanes = new ArrayList<>();
    private final int maxBatch;
    /** Writes a batch in one transaction; answers one outcome per request, in the requests' order. */
    private final Function<List<I>, Uni<List<O>>> write;

    GroupCommit(int lanes, int maxBatch, Function<List<I>, Uni<List<O>>> write) {
        for (int i = 0; i < lanes; i++) {
            this.lanes.add(new Lane());
        }
        this.maxBatch = maxBatch;
        this.write = write;
    }

    Uni<O> submit(long key, I request) {
        Lane lane = lanes.get((int) Math.floorMod(key, (long) lanes.size()));
        return Uni.createFrom().emitter(answer -> {
            lane.queue.add(new Pending<>(request, answer));
            lane.drain();
        });
    }

    private Uni<Void> write(List<Pending<I, O>> batch) {
        return Uni.createFrom()
                .deferred(() -> write.apply(batch.stream().map(Pending::request).toList()))
                .invoke(outcomes -> {
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).answer().complete(outcomes.get(i));
                    }
                })
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(failure -> {
                    if (batch.size() == 1) {
                        batch.get(0).answer().fail(failure);
                        return Uni.createFrom().voidItem();
                    }
                    // one at a time: a request that fails on its own fails alone
                    Uni<Void> alone = Uni.createFrom().voidItem();
                    for (Pending<I, O> pending : batch) {
                        alone = alone.chain(() -> write(List.of(pending)));
                    }
                    return alone;
                });
    }
}
