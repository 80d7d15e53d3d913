package com.sansam.runtime.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sansam.messages.Messages;
import com.sansam.messages.StockCommands.ReleaseReservation;
import com.sansam.messages.StockEvents.StockReserved;
import com.sansam.runtime.broker.Topology;
import com.sansam.runtime.db.MessagingPool;
import com.sansam.runtime.inbox.InboxTestProfile;
import com.sansam.runtime.testing.TestBroker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OutboxRelay} against the local PostgreSQL and RabbitMQ: what a nudge's drain (which claims from a floor)
 * publishes, and what it must leave to an aggregate's earlier row.
 */
@QuarkusTest
@TestProfile(InboxTestProfile.class)
class OutboxRelayTest {

    private static final Topology.Route ROUTE = Topology.route(Messages.STOCK_COMMANDS_EXCHANGE);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    OutboxRelay relay;

    @Inject
    Outbox outbox;

    @Inject
    MessagingPool messaging;

    private Pool pool;

    @BeforeEach
    void emptyOutboxAndQueues() {
        pool = messaging.get();
        try (TestBroker broker = new TestBroker("sansam_platform_test")) {
            broker.declareEmpty(ROUTE);
        }
        pool.query("delete from outbox").executeAndAwait();
    }

    @Test
    void aRowCommittedAfterALaterOneIsPublishedByItsOwnNudge() {
        SqlConnection slow = pool.getConnectionAndAwait();
        try {
            Transaction open = slow.beginAndAwait();
            long early = write(slow, "order-early").await().atMost(WAIT); // its id is lower, its commit comes later
            long late = write("order-late");
            relay.drainNudged().await().atMost(WAIT);
            assertEquals(List.of(late), sent());

            open.commitAndAwait();
            relay.drainNudged().await().atMost(WAIT);
            assertEquals(List.of(early, late), sent(), "the floor stays below what a short transaction wrote");
        } finally {
            slow.closeAndAwait();
        }
    }

    @Test
    void aRowWaitingOutItsBackoffHoldsBackItsAggregateOnly() {
        long first = write("order-a");
        long second = write("order-a");
        long other = write("order-b");
        pool.preparedQuery("update outbox set next_attempt_at = now() + interval '1 hour', attempts = 1 where id = $1")
                .execute(Tuple.of(first))
                .await()
                .atMost(WAIT);

        relay.drainNudged().await().atMost(WAIT);
        assertEquals(List.of(other), sent(), "order-a's second row waits behind its first");

        pool.preparedQuery("update outbox set next_attempt_at = now() where id = $1")
                .execute(Tuple.of(first))
                .await()
                .atMost(WAIT);
        relay.drain().await().atMost(WAIT); // the poll
        assertEquals(List.of(first, second, other), sent());
    }

    @Test
    void rowsOfOneRoundForOneQueueTravelAsOneBrokerMessage() {
        Topology.Route events = Topology.route(Messages.STOCK_EVENTS_EXCHANGE);
        try (TestBroker broker = new TestBroker("sansam_platform_test");
                TestBroker.Tap tap = broker.tap(events.exchange())) {
            broker.declareEmpty(events);
            List<Long> rows = new ArrayList<>();
            for (String order : List.of("order-1", "order-2", "order-3")) {
                rows.add(pool.withTransaction(connection -> outbox.addAll(
                                        connection,
                                        List.of(new Outbox.Pending(
                                                events.exchange(), "order", order, new StockReserved(order))))
                                .chain(() -> connection
                                        .query("select max(id) from outbox")
                                        .execute()
                                        .map(result -> result.iterator().next().getLong(0))))
                        .await()
                        .atMost(WAIT));
            }

            relay.drainNudged().await().atMost(WAIT);

            assertEquals(rows, sent());
            List<String> received = tap.await("StockReserved", e -> true, 3, WAIT).stream()
                    .map(com.sansam.messages.Envelope::aggregateId)
                    .toList();
            assertEquals(List.of("order-1", "order-2", "order-3"), received, "each row once, in the order written");
            assertEquals(1, tap.deliveries(), "three rows for one queue, one broker message");
        }
    }

    /** Writes one outbox row of the aggregate in a transaction of its own; answers its id. */
    private long write(String aggregateId) {
        return pool.withTransaction(connection -> write(connection, aggregateId))
                .await()
                .atMost(WAIT);
    }

    private io.smallrye.mutiny.Uni<Long> write(SqlConnection connection, String aggregateId) {
        return outbox.addAll(
                        connection,
                        List.of(new Outbox.Pending(
                                ROUTE.exchange(), "order", aggregateId, new ReleaseReservation(aggregateId, "test"))))
                .chain(() -> connection
                        .query("select max(id) from outbox")
                        .execute()
                        .map(rows -> rows.iterator().next().getLong(0)));
    }

    private List<Long> sent() {
        List<Long> ids = new ArrayList<>();
        pool.query("select id from outbox where sent_at is not null order by id")
                .executeAndAwait()
                .forEach(row -> ids.add(row.getLong(0)));
        return ids;
    }
}
