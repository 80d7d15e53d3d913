package com.sansam.stock;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.messages.StockCommands.AdjustStock;
import com.sansam.messages.StockCommands.CommitReservation;
import com.sansam.messages.StockCommands.Line;
import com.sansam.messages.StockCommands.ReleaseReservation;
import com.sansam.messages.StockCommands.ReserveStock;
import com.sansam.messages.StockCommands.RestoreStock;
import com.sansam.messages.StockEvents;
import com.sansam.runtime.session.Role;
import com.sansam.runtime.session.SessionStore;
import com.sansam.runtime.testing.CleanRedis;
import com.sansam.runtime.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Commands in over the real broker, effects in the real database, events out through the outbox. */
@QuarkusTest
@QuarkusTestResource(value = CleanRedis.class, restrictToAnnotatedClass = false)
class StockCommandsTest {

    private static TestBroker broker;
    private static TestBroker.Tap events;

    @Inject
    SessionStore sessions;

    @BeforeAll
    static void connect() {
        broker = new TestBroker();
        events = broker.tap(Messages.STOCK_EVENTS_EXCHANGE);
    }

    @AfterAll
    static void disconnect() {
        events.close();
        broker.close();
    }

    @Test
    void adjustCreatesTheSkuAndAnnouncesIt() {
        String sku = newSku(5);
        assertEquals(5, stockChanged(sku).payload().get("available").asInt());
        stock(sku).body("available", equalTo(5)).body("reserved", equalTo(0));

        command(sku, new AdjustStock(sku, 3, "restock"));
        await().untilAsserted(() -> stock(sku).body("available", equalTo(8)));
    }

    @Test
    void aDuplicatedMessageChangesNothingTheSecondTime() {
        String sku = newSku(4);
        Envelope adjust = Messages.wrap("sku", sku, new AdjustStock(sku, 6, "restock"));
        broker.publish(Messages.STOCK_COMMANDS_EXCHANGE, adjust);
        broker.publish(Messages.STOCK_COMMANDS_EXCHANGE, adjust);
        Envelope marker = command(sku, new AdjustStock(sku, 1, "marker"));
        await().untilAsserted(() -> stock(sku).body("available", equalTo(11)));
        assertEquals(marker.type(), "AdjustStock");
    }

    @Test
    void twoHundredConcurrentOrdersForSevenUnitsReserveExactlySeven() throws Exception {
        String sku = newSku(7);
        List<String> orders = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> "ord-" + UUID.randomUUID())
                .toList();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (TestBroker second = new TestBroker();
                TestBroker third = new TestBroker()) {
            TestBroker[] publishers = {broker, second, third};
            for (int i = 0; i < orders.size(); i++) {
                String orderId = orders.get(i);
                TestBroker publisher = publishers[i % publishers.length];
                pool.submit(() -> publisher.publish(
                        Messages.STOCK_COMMANDS_EXCHANGE,
                        "order",
                        orderId,
                        new ReserveStock(
                                orderId,
                                List.of(new Line(sku, 1)),
                                Instant.now().plusSeconds(600))));
            }
            pool.shutdown();
            pool.awaitTermination(60, TimeUnit.SECONDS);
        }
        List<String> mine = orders;
        events.await("StockReserved", e -> mine.contains(e.aggregateId()), 7, Duration.ofSeconds(60));
        events.await("StockRejected", e -> mine.contains(e.aggregateId()), 193, Duration.ofSeconds(60));
        assertEquals(
                7,
                events.ofType("StockReserved", e -> mine.contains(e.aggregateId()))
                        .size());
        stock(sku).body("available", equalTo(0)).body("reserved", equalTo(7));

        // Each StockReserved tells what its batch left of the SKU, with the version of that change (the later the
        // change, the fewer units), and the last leaves none; no StockChanged of their own: only the initial stock's
        List<StockEvents.SkuLevel> levels = events.ofType("StockReserved", e -> mine.contains(e.aggregateId())).stream()
                .flatMap(e -> Messages.payload(e, StockEvents.StockReserved.class).levels().stream())
                .sorted(java.util.Comparator.comparingLong(StockEvents.SkuLevel::version))
                .toList();
        assertEquals(7, levels.size(), levels.toString());
        for (int i = 0; i < levels.size(); i++) {
            StockEvents.SkuLevel level = levels.get(i);
            assertEquals(sku, level.sku());
            assertTrue(level.version() > 1, "after the initial stock's version: " + levels);
            if (i > 0 && level.version() > levels.get(i - 1).version()) {
                assertTrue(level.available() < levels.get(i - 1).available(), levels.toString());
            } else if (i > 0) {
                assertEquals(levels.get(i - 1).available(), level.available(), "one batch, one level: " + levels);
            }
        }
        assertEquals(0, levels.get(levels.size() - 1).available(), levels.toString());
        await().pollDelay(Duration.ofMillis(500))
                .untilAsserted(() -> assertEquals(
                        1,
                        events.ofType("StockChanged", e -> sku.equals(e.aggregateId()))
                                .size()));
    }

    /**
     * Reservations arriving together are applied many to a transaction. A duplicate inside the burst is applied once,
     * and one bad command among them fails its batch, which then runs message by message: the others all apply
     * exactly once and only the bad one is dead-lettered.
     */
    @Test
    void aBurstWithADuplicateAndABadCommandAppliesEveryOtherReservationOnce() {
        String sku = newSku(10);
        List<Envelope> burst = new java.util.ArrayList<>();
        List<String> orders = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String orderId = "ord-" + UUID.randomUUID();
            orders.add(orderId);
            burst.add(Messages.wrap(
                    "order",
                    orderId,
                    new ReserveStock(
                            orderId, List.of(new Line(sku, 1)), Instant.now().plusSeconds(600))));
            if (i == 3) {
                burst.add(burst.get(0)); // the same message delivered twice
            }
            if (i == 12) {
                String bad = "ord-" + UUID.randomUUID();
                burst.add(Messages.wrap(
                        "order",
                        bad,
                        new ReserveStock(
                                bad, List.of(new Line(sku, 0)), Instant.now().plusSeconds(600))));
            }
        }
        Envelope bad = burst.stream()
                .filter(e -> !orders.contains(e.aggregateId()))
                .findFirst()
                .orElseThrow();
        broker.publishAll(Messages.STOCK_COMMANDS_EXCHANGE, burst);

        events.await("StockReserved", e -> orders.contains(e.aggregateId()), 10, Duration.ofSeconds(30));
        events.await("StockRejected", e -> orders.contains(e.aggregateId()), 20, Duration.ofSeconds(30));
        await().pollDelay(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String orderId : orders) {
                assertEquals(1, events.forAggregate(orderId).size(), "one answer for " + orderId);
            }
        });
        stock(sku).body("available", equalTo(0)).body("reserved", equalTo(10));
        await().untilAsserted(() -> given().cookie("SESSION", session(Role.ADMIN))
                .get("/api/v1/admin/dead-letters")
                .then()
                .statusCode(200)
                .body("findAll { it.messageId == '" + bad.messageId() + "' }.size()", equalTo(1)));
        Ledger.assertBalanced();
    }

    @Test
    void aReservationTakesAllItsLinesOrNothing() {
        String plenty = newSku(5);
        String scarce = newSku(1);
        String orderId = "ord-" + UUID.randomUUID();
        command(
                orderId,
                new ReserveStock(
                        orderId,
                        List.of(new Line(plenty, 2), new Line(scarce, 2)),
                        Instant.now().plusSeconds(600)));
        Envelope rejected = events.awaitOne("StockRejected", e -> orderId.equals(e.aggregateId()));
        assertEquals(
                List.of(scarce),
                Messages.payload(rejected, StockEvents.StockRejected.class).shortSkus());
        stock(plenty).body("available", equalTo(5)).body("reserved", equalTo(0));
        stock(scarce).body("available", equalTo(1));
    }

    @Test
    void commitSellsHeldStockAndReleaseGivesItBack() {
        String sku = newSku(3);
        String paid = reserve(sku, 1, Instant.now().plusSeconds(600));
        String abandoned = reserve(sku, 1, Instant.now().plusSeconds(600));
        stock(sku).body("available", equalTo(1)).body("reserved", equalTo(2));

        command(paid, new CommitReservation(paid));
        events.awaitOne("ReservationCommitted", e -> paid.equals(e.aggregateId()));
        command(abandoned, new ReleaseReservation(abandoned, "shopper left"));
        events.awaitOne("ReservationReleased", e -> abandoned.equals(e.aggregateId()));
        stock(sku).body("available", equalTo(2)).body("reserved", equalTo(0));

        // A second commit and a release after the commit change nothing.
        command(paid, new CommitReservation(paid));
        command(paid, new ReleaseReservation(paid, "too late"));
        Envelope marker = command(sku, new AdjustStock(sku, 0, "marker"));
        await().untilAsserted(() -> stock(sku).body("available", equalTo(2)).body("reserved", equalTo(0)));
        assertEquals("AdjustStock", marker.type());
    }

    @Test
    void expiredReservationsAreReleasedAndALateCommitFailsOnceTheStockIsResold() {
        String sku = newSku(1);
        String slow = reserve(sku, 1, Instant.now().plusMillis(500));
        events.awaitOne("ReservationExpired", e -> slow.equals(e.aggregateId()));
        stock(sku).body("available", equalTo(1)).body("reserved", equalTo(0));

        String fast = reserve(sku, 1, Instant.now().plusSeconds(600));
        command(slow, new CommitReservation(slow));
        Envelope failed = events.awaitOne("CommitFailed", e -> slow.equals(e.aggregateId()));
        assertEquals(
                slow, Messages.payload(failed, StockEvents.CommitFailed.class).orderId());
        stock(sku).body("available", equalTo(0)).body("reserved", equalTo(1));
        assertEquals(fast.isEmpty(), false);
    }

    @Test
    void aLateCommitTakesTheStockAgainWhenItIsStillThere() {
        String sku = newSku(2);
        String slow = reserve(sku, 1, Instant.now().plusMillis(300));
        events.awaitOne("ReservationExpired", e -> slow.equals(e.aggregateId()));
        command(slow, new CommitReservation(slow));
        events.awaitOne("ReservationCommitted", e -> slow.equals(e.aggregateId()));
        stock(sku).body("available", equalTo(1)).body("reserved", equalTo(0));
    }

    @Test
    void eachCancelRestoresOnceAndNeverMoreThanWasSold() {
        String sku = newSku(3);
        String orderId = reserve(sku, 2, Instant.now().plusSeconds(600));
        command(orderId, new CommitReservation(orderId));
        events.awaitOne("ReservationCommitted", e -> orderId.equals(e.aggregateId()));
        stock(sku).body("available", equalTo(1));

        RestoreStock partial = new RestoreStock(orderId, "cancel-1", List.of(new Line(sku, 1)));
        command(orderId, partial);
        command(orderId, partial); // a retried cancel: new message id, same cancel id
        command(orderId, new RestoreStock(orderId, "cancel-2", List.of(new Line(sku, 5))));
        events.await("StockRestored", e -> orderId.equals(e.aggregateId()), 2, Duration.ofSeconds(20));
        await().untilAsserted(() -> stock(sku).body("available", equalTo(3)).body("reserved", equalTo(0)));
    }

    @Test
    void lowStockFiresOnceWhenTheThresholdIsCrossedDownwards() {
        String sku = newSku(4); // threshold 2
        reserve(sku, 1, Instant.now().plusSeconds(600)); // 3 left: above
        reserve(sku, 1, Instant.now().plusSeconds(600)); // 2 left: crossed
        reserve(sku, 1, Instant.now().plusSeconds(600)); // 1 left: still low, no new alert
        Envelope low = events.awaitOne("LowStock", e -> sku.equals(e.aggregateId()));
        assertEquals(2, low.payload().get("available").asInt());
        command(sku, new AdjustStock(sku, 0, "marker"));
        await().pollDelay(Duration.ofMillis(500))
                .untilAsserted(() -> assertEquals(
                        1,
                        events.ofType("LowStock", e -> sku.equals(e.aggregateId()))
                                .size()));
    }

    @Test
    void aMessageThatCannotSucceedIsDeadLetteredAndCanBeReplayedByAnAdmin() {
        String sku = newSku(3);
        // A cancel's restore that arrives before its order's reservation exists cannot be applied yet.
        String orderId = "ord-" + UUID.randomUUID();
        Envelope tooEarly = command(orderId, new RestoreStock(orderId, "c1", List.of(new Line(sku, 1))));
        broker.publishRaw(
                Messages.STOCK_COMMANDS_EXCHANGE,
                com.sansam.runtime.broker.Topology.routingKey(
                        Messages.STOCK_COMMANDS_EXCHANGE, "ReserveStock", "order", orderId),
                "{not json");
        String admin = session(Role.ADMIN);

        await().untilAsserted(() -> given().cookie("SESSION", admin)
                .get("/api/v1/admin/dead-letters")
                .then()
                .statusCode(200)
                .body("findAll { it.messageId == '" + tooEarly.messageId() + "' }.size()", equalTo(1))
                .body("findAll { it.type == 'unreadable' }.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(1)));
        // The broker's dead-letter queue has them too.
        await().untilAsserted(() ->
                org.junit.jupiter.api.Assertions.assertTrue(broker.messageCount("stock-worker.commands.dlq") >= 2));
        stock(sku).body("available", equalTo(3));

        // Once the order's stock is sold, the replayed restore applies.
        command(
                orderId,
                new ReserveStock(
                        orderId, List.of(new Line(sku, 2)), Instant.now().plusSeconds(600)));
        events.awaitOne("StockReserved", e -> orderId.equals(e.aggregateId()));
        command(orderId, new CommitReservation(orderId));
        events.awaitOne("ReservationCommitted", e -> orderId.equals(e.aggregateId()));
        stock(sku).body("available", equalTo(1));
        long id = given().cookie("SESSION", admin)
                .get("/api/v1/admin/dead-letters")
                .then()
                .extract()
                .jsonPath()
                .getLong("find { it.messageId == '" + tooEarly.messageId() + "' }.id");
        given().cookie("SESSION", admin)
                .post("/api/v1/admin/dead-letters/" + id + "/replay")
                .then()
                .statusCode(200)
                .body("replayedAt", org.hamcrest.Matchers.notNullValue());
        stock(sku).body("available", equalTo(2));
        given().cookie("SESSION", session(Role.USER))
                .get("/api/v1/admin/dead-letters")
                .then()
                .statusCode(403);
        Ledger.assertBalanced();
    }

    /**
     * A cut below what is available is a business refusal: answered with StockAdjustRefused naming the adjustment, the
     * stock unchanged, and no dead letter. An applied adjustment is answered with StockAdjusted and the new level.
     */
    @Test
    void aCutBelowWhatIsAvailableIsRefusedWithAnAnswerNotADeadLetter() {
        String sku = newSku(2);
        String held = reserve(sku, 2, Instant.now().plusSeconds(600));
        Envelope cut = command(sku, new AdjustStock(sku, -1, "damaged", "adj-" + UUID.randomUUID()));
        Envelope refused = events.awaitOne("StockAdjustRefused", e -> sku.equals(e.aggregateId()));
        assertEquals(
                cut.payload().get("adjustmentId").asText(),
                refused.payload().get("adjustmentId").asText());
        assertEquals(0, refused.payload().get("available").asInt());
        assertEquals(-1, refused.payload().get("delta").asInt());
        org.junit.jupiter.api.Assertions.assertTrue(
                refused.payload().get("reason").asText().contains("-1"));
        stock(sku).body("available", equalTo(0)).body("reserved", equalTo(2));

        // An unknown SKU cannot be cut either, and is not created by the attempt.
        String unknown = "SKU-" + UUID.randomUUID().toString().substring(0, 13);
        command(unknown, new AdjustStock(unknown, -3, "write-off", "adj-" + UUID.randomUUID()));
        events.awaitOne("StockAdjustRefused", e -> unknown.equals(e.aggregateId()));
        given().cookie("SESSION", session(Role.ADMIN))
                .get("/api/v1/stock/" + unknown)
                .then()
                .statusCode(404);

        command(held, new ReleaseReservation(held, "changed mind"));
        events.awaitOne("ReservationReleased", e -> held.equals(e.aggregateId()));
        Envelope applied = command(sku, new AdjustStock(sku, -1, "damaged", "adj-" + UUID.randomUUID()));
        Envelope adjusted = events.awaitOne(
                "StockAdjusted",
                e -> applied.payload()
                        .get("adjustmentId")
                        .asText()
                        .equals(e.payload().path("adjustmentId").asText()));
        assertEquals(1, adjusted.payload().get("available").asInt());
        stock(sku).body("available", equalTo(1)).body("reserved", equalTo(0));
        given().cookie("SESSION", session(Role.ADMIN))
                .get("/api/v1/admin/dead-letters")
                .then()
                .statusCode(200)
                .body("findAll { it.messageId == '" + cut.messageId() + "' }.size()", equalTo(0));
        Ledger.assertBalanced();
    }

    @Test
    void theLedgerAddsUpToTheStockOfEverySku() {
        String sku = newSku(6);
        String a = reserve(sku, 2, Instant.now().plusSeconds(600));
        reserve(sku, 1, Instant.now().plusSeconds(600));
        command(a, new CommitReservation(a));
        events.awaitOne("ReservationCommitted", e -> a.equals(e.aggregateId()));
        command(a, new RestoreStock(a, "c1", List.of(new Line(sku, 1))));
        events.awaitOne("StockRestored", e -> a.equals(e.aggregateId()));
        Ledger.assertBalanced();
    }

    @Test
    void stockViewIsForAdminsOnly() {
        String sku = newSku(1);
        given().get("/api/v1/stock/" + sku).then().statusCode(401).contentType("application/problem+json");
        given().cookie("SESSION", session(Role.USER))
                .get("/api/v1/stock/" + sku)
                .then()
                .statusCode(403);
        given().cookie("SESSION", session(Role.ADMIN))
                .get("/api/v1/stock/unknown-sku")
                .then()
                .statusCode(404);
    }

    // ------------------------------------------------------------------------------------------------

    private String newSku(int units) {
        String sku = "SKU-" + UUID.randomUUID().toString().substring(0, 13);
        command(sku, new AdjustStock(sku, units, "initial stock"));
        stockChanged(sku);
        return sku;
    }

    private String reserve(String sku, int qty, Instant expiresAt) {
        String orderId = "ord-" + UUID.randomUUID();
        command(orderId, new ReserveStock(orderId, List.of(new Line(sku, qty)), expiresAt));
        events.awaitOne("StockReserved", e -> orderId.equals(e.aggregateId()));
        return orderId;
    }

    private static Envelope command(String aggregateId, Object command) {
        return broker.publish(
                Messages.STOCK_COMMANDS_EXCHANGE,
                command instanceof AdjustStock ? "sku" : "order",
                aggregateId,
                command);
    }

    private static Envelope stockChanged(String sku) {
        return events.awaitOne("StockChanged", e -> sku.equals(e.aggregateId()));
    }

    private ValidatableResponse stock(String sku) {
        return given().cookie("SESSION", session(Role.ADMIN))
                .get("/api/v1/stock/" + sku)
                .then()
                .statusCode(200);
    }

    private String session(Role role) {
        return sessions.create(role == Role.ADMIN ? 1 : 2, role).await().atMost(Duration.ofSeconds(5));
    }
}
