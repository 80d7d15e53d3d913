package com.sansam.runtime.inbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.messages.StockCommands.ReleaseReservation;
import com.sansam.runtime.broker.BrokerConnections;
import com.sansam.runtime.broker.Topology;
import com.sansam.runtime.db.MessagingPool;
import com.sansam.runtime.testing.TestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ShardedQueues} with two replicas in one JVM (each its own instance, as two processes would be) on the local
 * RabbitMQ and PostgreSQL: they share the shards, and a shard handed from one to the other keeps its order.
 */
@QuarkusTest
@TestProfile(InboxTestProfile.class)
class ShardedQueuesTest {

    private static final Topology.Route ROUTE = Topology.route(Messages.STOCK_COMMANDS_EXCHANGE);
    private static final int AGGREGATES = 40;
    private static final int PER_AGGREGATE = 50;

    @Inject
    BrokerConnections connections;

    @Inject
    MessagingPool pool;

    @Inject
    InboxConfig config;

    @Inject
    Vertx vertx;

    /** Each aggregate's sequence numbers in the order their processing finished, over both replicas. */
    private final Map<String, List<Integer>> processed = new ConcurrentHashMap<>();

    private final List<Replica> replicas = new ArrayList<>();

    @BeforeEach
    void emptyQueuesAndLeases() {
        try (TestBroker broker = new TestBroker("sansam_platform_test")) {
            broker.declareEmpty(ROUTE);
        }
        pool.get().query("delete from shard_lease").executeAndAwait();
        pool.get().query("delete from shard_member").executeAndAwait();
        processed.clear();
    }

    @AfterEach
    void stop() {
        replicas.forEach(Replica::stop);
    }

    @Test
    void twoReplicasShareTheShardsAndAShardHandedOverKeepsItsOrder() {
        Replica first = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> first.held().size() == ROUTE.shards());
        publish(0, PER_AGGREGATE / 2);
        Replica second = start(); // joins while the first works through a backlog: half the shards move over
        publish(PER_AGGREGATE / 2, PER_AGGREGATE);
        await().atMost(Duration.ofSeconds(30)).until(() -> total() == AGGREGATES * PER_AGGREGATE);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> first.held().size() == ROUTE.shards() / 2
                        && second.held().size() == ROUTE.shards() / 2);
        Set<Integer> both = new HashSet<>(first.held());
        both.addAll(second.held());
        assertEquals(
                ROUTE.shards(),
                both.size(),
                "each shard consumed by one replica: " + first.held() + " / " + second.held());
        assertTrue(first.count > 0 && second.count > 0, "both replicas consumed");
        assertEachAggregateInOrderOnce();
    }

    @Test
    void aReplicaThatStopsHandsItsShardsToTheOtherInOrder() {
        Replica first = start();
        Replica second = start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> first.held().size() == ROUTE.shards() / 2
                        && second.held().size() == ROUTE.shards() / 2);
        publish(0, PER_AGGREGATE / 2);
        second.stop(); // drains what it was handed and gives its shards back
        publish(PER_AGGREGATE / 2, PER_AGGREGATE);
        await().atMost(Duration.ofSeconds(30)).until(() -> total() == AGGREGATES * PER_AGGREGATE);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.held().size() == ROUTE.shards());
        assertEachAggregateInOrderOnce();
    }

    @Test
    void aLeaseNotRenewedGoesToAnotherReplicaAfterItsTimeToLive() {
        Duration ttl = Duration.ofSeconds(1);
        ShardLeases gone = new ShardLeases(pool.get(), "lease-test", 4, "gone", ttl);
        ShardLeases alive = new ShardLeases(pool.get(), "lease-test", 4, "alive", ttl);
        gone.renew().await().indefinitely();
        assertEquals(Set.of(0, 1, 2, 3), gone.claim(4).await().indefinitely());
        ShardLeases.Renewal renewal = alive.renew().await().indefinitely();
        assertEquals(2, renewal.members());
        assertEquals(Set.of(), alive.claim(2).await().indefinitely(), "held and renewed: nothing to take");
        await().pollDelay(ttl)
                .atMost(Duration.ofSeconds(5))
                .until(() -> !alive.claim(2).await().indefinitely().isEmpty());
        alive.renew().await().indefinitely();
        ShardLeases.Renewal after = gone.renew().await().indefinitely();
        assertEquals(Set.of(2, 3), after.held(), "the expired ones it did not get back");
        assertEquals(Set.of(0, 1), alive.renew().await().indefinitely().held());
    }

    private void assertEachAggregateInOrderOnce() {
        List<Integer> expected =
                java.util.stream.IntStream.range(0, PER_AGGREGATE).boxed().toList();
        for (int a = 0; a < AGGREGATES; a++) {
            assertEquals(expected, processed.get("agg-" + a), "aggregate agg-" + a + " processed in order, once");
        }
    }

    private int total() {
        return processed.values().stream().mapToInt(List::size).sum();
    }

    private void publish(int from, int to) {
        List<Envelope> batch = new ArrayList<>();
        for (int seq = from; seq < to; seq++) {
            for (int a = 0; a < AGGREGATES; a++) {
                batch.add(
                        Messages.wrap("order", "agg-" + a, new ReleaseReservation("agg-" + a, Integer.toString(seq))));
            }
        }
        try (TestBroker broker = new TestBroker("sansam_platform_test")) {
            broker.publishAll(ROUTE.exchange(), batch);
        }
    }

    private Replica start() {
        Replica replica = new Replica(new ShardedQueues(connections, pool, config, vertx, new SimpleMeterRegistry()));
        replicas.add(replica);
        return replica;
    }

    /**
     * A replica: its messages processed one at a time (2 ms each, then acknowledged), so that a shard handed over
     * while messages are in hand would show as an aggregate's numbers out of order.
     */
    private final class Replica {
        final ShardedQueues queues;
        final BlockingQueue<Message<String>> inbox = new LinkedBlockingQueue<>();
        final Cancellable subscription;
        final Thread worker;
        volatile int count;

        Replica(ShardedQueues queues) {
            this.queues = queues;
            this.subscription = queues.consume(ROUTE).subscribe().with(inbox::add);
            this.worker = new Thread(this::work, "test replica");
            worker.setDaemon(true);
            worker.start();
        }

        Set<Integer> held() {
            return queues.held(ROUTE.queue());
        }

        private void work() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Message<String> message = inbox.take();
                    Thread.sleep(2);
                    Envelope envelope = Messages.envelope(message.getPayload());
                    int seq = Integer.parseInt(
                            Messages.payload(envelope, ReleaseReservation.class).reason());
                    processed
                            .computeIfAbsent(
                                    envelope.aggregateId(),
                                    id -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add(seq);
                    count++;
                    message.ack().toCompletableFuture().get(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** Stops as the service does (its shutdown): what it was handed is processed before the shards go back. */
        void stop() {
            queues.stop(null);
            subscription.cancel();
            worker.interrupt();
        }
    }
}
