package com.sansam.runtime.async;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The batching rule on its own, with batches the test holds open and lets go. */
class GroupCommitTest {

    /** A writer whose batches end when the test says so. */
    private static final class HeldWriter {
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final List<UniEmitter<? super List<String>>> open = new CopyOnWriteArrayList<>();

        Uni<List<String>> write(List<String> batch) {
            batches.add(batch);
            return Uni.createFrom().emitter(open::add);
        }

        void commit(int batch) {
            open.get(batch)
                    .complete(batches.get(batch).stream()
                            .map(request -> request + " stored")
                            .toList());
        }
    }

    @Test
    void requestsArrivingWhileABatchIsWrittenGoTogetherInTheNext() {
        HeldWriter writer = new HeldWriter();
        GroupCommit<String, String> commit = new GroupCommit<>(1, 64, writer::write);
        var a = commit.submit(0, "a").subscribe().withSubscriber(UniAssertSubscriber.create());
        var b = commit.submit(0, "b").subscribe().withSubscriber(UniAssertSubscriber.create());
        var c = commit.submit(0, "c").subscribe().withSubscriber(UniAssertSubscriber.create());
        assertEquals(List.of(List.of("a")), writer.batches, "a quiet writer starts at once, alone");
        b.assertNotTerminated();

        writer.commit(0);
        a.assertItem("a stored");
        assertEquals(List.of("b", "c"), writer.batches.get(1), "what queued meanwhile shares one transaction");
        b.assertNotTerminated(); // answered only after its batch commits
        writer.commit(1);
        b.assertItem("b stored");
        c.assertItem("c stored");
    }

    @Test
    void perKeyEachKeyHasALaneOfItsOwnAndItsBatchesHoldOnlyItsRequests() {
        List<Long> keys = new CopyOnWriteArrayList<>();
        HeldWriter writer = new HeldWriter();
        GroupCommit<String, String> commit = GroupCommit.perKey(64, (key, batch) -> {
            keys.add(key);
            return writer.write(batch);
        });
        List<String> requests = List.of("7a", "9a", "7b", "9b", "7c");
        List<UniAssertSubscriber<String>> answers = submitKeyed(commit, requests);
        assertEquals(List.of(List.of("7a"), List.of("9a")), writer.batches, "each key starts at once, alone");
        writer.commit(0);
        assertEquals(List.of("7b", "7c"), writer.batches.get(2), "key 7's waiting requests, and only those");
        writer.commit(1);
        assertEquals(List.of("9b"), writer.batches.get(3));
        assertEquals(List.of(7L, 9L, 7L, 9L), keys, "the writer is told whose batch it writes");
        writer.commit(2);
        writer.commit(3);
        assertEachStored(requests, answers);
    }

    @Test
    void aBatchHoldsAtMostMaxBatchAndEachKeysLaneWritesInArrivalOrder() {
        HeldWriter writer = new HeldWriter();
        GroupCommit<String, String> commit = new GroupCommit<>(2, 2, writer::write);
        // keys 1 and 3 share a lane of two; key 2 has the other to itself
        List<String> requests = List.of("1a", "2a", "1b", "3a", "1c", "2b");
        List<UniAssertSubscriber<String>> answers = submitKeyed(commit, requests);
        assertEquals(List.of(List.of("1a"), List.of("2a")), writer.batches, "both lanes start at once");
        writer.commit(0);
        assertEquals(List.of("1b", "3a"), writer.batches.get(2), "at most two, in arrival order");
        writer.commit(1);
        assertEquals(List.of("2b"), writer.batches.get(3));
        answers.get(4).assertNotTerminated(); // 1c waits for its lane
        writer.commit(2);
        assertEquals(List.of("1c"), writer.batches.get(4));
        writer.commit(3);
        writer.commit(4);
        assertEachStored(requests, answers);
    }

    @Test
    void aBatchThatFailsIsWrittenAgainOneRequestAtATimeSoOnlyTheBadOneFails() {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        HeldWriter first = new HeldWriter();
        GroupCommit<String, String> commit = new GroupCommit<>(1, 64, batch -> {
            batches.add(batch);
            if (batches.size() == 1) {
                return first.write(batch); // held, so the others queue behind it
            }
            return batch.contains("bad")
                    ? Uni.createFrom().failure(new IllegalStateException("deadlock detected"))
                    : Uni.createFrom()
                            .item(batch.stream()
                                    .map(request -> request + " stored")
                                    .toList());
        });
        var a = commit.submit(0, "a").subscribe().withSubscriber(UniAssertSubscriber.create());
        var good = commit.submit(0, "good").subscribe().withSubscriber(UniAssertSubscriber.create());
        var bad = commit.submit(0, "bad").subscribe().withSubscriber(UniAssertSubscriber.create());
        var alsoGood = commit.submit(0, "also good").subscribe().withSubscriber(UniAssertSubscriber.create());
        first.commit(0);

        a.assertItem("a stored");
        assertEquals(
                List.of(
                        List.of("a"),
                        List.of("good", "bad", "also good"),
                        List.of("good"),
                        List.of("bad"),
                        List.of("also good")),
                batches);
        good.assertItem("good stored");
        alsoGood.assertItem("also good stored");
        bad.assertFailedWith(IllegalStateException.class, "deadlock detected");
    }

    /** Submits each request under the key its first character names ("7a": key 7), in this order. */
    private static List<UniAssertSubscriber<String>> submitKeyed(
            GroupCommit<String, String> commit, List<String> requests) {
        List<UniAssertSubscriber<String>> answers = new ArrayList<>();
        for (String request : requests) {
            answers.add(commit.submit(request.charAt(0) - '0', request)
                    .subscribe()
                    .withSubscriber(UniAssertSubscriber.create()));
        }
        return answers;
    }

    /** Every request answered with its own result. */
    private static void assertEachStored(List<String> requests, List<UniAssertSubscriber<String>> answers) {
        for (int i = 0; i < requests.size(); i++) {
            answers.get(i).assertItem(requests.get(i) + " stored");
        }
    }
}
