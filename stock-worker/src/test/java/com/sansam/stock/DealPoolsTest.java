package com.sansam.stock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.messages.StockCommands;
import com.sansam.messages.StockCommands.AdjustStock;
import com.sansam.messages.StockCommands.CloseDeal;
import com.sansam.messages.StockCommands.CommitReservation;
import com.sansam.messages.StockCommands.Line;
import com.sansam.messages.StockCommands.ReleaseReservation;
import com.sansam.messages.StockCommands.ReserveStock;
import com.sansam.messages.StockCommands.SetAsideDealStock;
import com.sansam.runtime.testing.CleanRedis;
import com.sansam.runtime.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Time deals in the stock-worker: units set aside into a deal's pool (all lines or none), reserved from it by the
 * deal's orders, and given back to regular stock exactly once when the deal closes, also when the close is delivered
 * twice and when an order of the deal lets its units go after the close.
 */
@QuarkusTest
@QuarkusTestResource(value = CleanRedis.class, restrictToAnnotatedClass = false)
class DealPoolsTest {

    private static final AtomicLong DEALS = new AtomicLong(System.currentTimeMillis() % 1_000_000_000L * 100);

    private static TestBroker broker;
    private static TestBroker.Tap events;

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
    void aDealTakesAllItsLinesOrNoneAndNamesTheShortSku() {
        String bag = newSku(10);
        String scarf = newSku(2);
        long deal = DEALS.incrementAndGet();
        deal(deal, new SetAsideDealStock(deal, 1, List.of(new Line(bag, 5), new Line(scarf, 3))));
        Envelope refused =
                events.awaitOne("DealStockRefused", e -> Long.toString(deal).equals(e.aggregateId()));
        assertEquals(scarf, refused.payload().get("sku").asText());
        assertEquals(2, refused.payload().get("available").asInt());
        Ledger.assertStock(bag, 10, 0);
        Ledger.assertStock(scarf, 2, 0);
    }

    @Test
    void unitsSetAsideAreSoldOnlyThroughTheDealAndComeBackOnceWhenItCloses() {
        String bag = newSku(10);
        long deal = DEALS.incrementAndGet();
        String pool = StockCommands.poolSku(deal, bag);
        deal(deal, new SetAsideDealStock(deal, 1, List.of(new Line(bag, 4))));
        events.awaitOne("DealStockSetAside", e -> Long.toString(deal).equals(e.aggregateId()));
        Ledger.assertStock(bag, 6, 0);
        Ledger.assertStock(pool, 4, 0);

        // A later revision before the start: the pool grows to 6, taking two more from the SKU.
        deal(deal, new SetAsideDealStock(deal, 2, List.of(new Line(bag, 6))));
        events.await(
                "DealStockSetAside",
                e -> Long.toString(deal).equals(e.aggregateId()),
                2,
                java.time.Duration.ofSeconds(30));
        Ledger.assertStock(bag, 4, 0);
        Ledger.assertStock(pool, 6, 0);

        String kept = reserveFromDeal(deal, pool, 2);
        String letGo = reserveFromDeal(deal, pool, 1);
        Ledger.assertStock(pool, 3, 3);

        // Closed twice (a duplicate delivery and a second command): the 3 left go back once.
        Envelope close = Messages.wrap("deal", Long.toString(deal), new CloseDeal(deal, "time passed"));
        broker.publish(Messages.STOCK_COMMANDS_EXCHANGE, close);
        broker.publish(Messages.STOCK_COMMANDS_EXCHANGE, close);
        deal(deal, new CloseDeal(deal, "ended early"));
        Envelope closed = events.awaitOne("DealClosed", e -> Long.toString(deal).equals(e.aggregateId()));
        assertEquals(3, closed.payload().get("returned").get(0).get("qty").asInt());
        await().untilAsserted(() -> Ledger.assertStock(bag, 7, 0));
        Ledger.assertStock(pool, 0, 3);

        // An order of the deal lets go after the close: its unit goes to regular stock, not back into the pool.
        deal(deal, new ReleaseReservation(letGo, "expired before payment"));
        events.awaitOne("ReservationReleased", e -> letGo.equals(e.aggregateId()));
        Ledger.assertStock(bag, 8, 0);
        Ledger.assertStock(pool, 0, 2);
        assertEquals(
                1,
                events.ofType("DealClosed", e -> Long.toString(deal).equals(e.aggregateId()))
                        .size());
        assertTrue(kept.startsWith("ord-"));
        Ledger.assertBalanced();
    }

    /**
     * The normal end of a successful drop: every unit reserved, nobody paid yet. The close answers at once (nothing to
     * give back), and each unit that the unpaid orders let go afterwards (one released, one expiring) goes to the SKU,
     * not into the closed pool. No dead letter.
     */
    @Test
    void aSoldOutDealClosesAndItsUnpaidUnitsGoBackToTheSkuAfterwards() {
        String bag = newSku(10);
        long deal = DEALS.incrementAndGet();
        String pool = StockCommands.poolSku(deal, bag);
        setAside(deal, bag, 3);
        String first = reserveFromDeal(deal, pool, 1);
        String second = reserveFromDeal(deal, pool, 1);
        String expiring = reserveFromDeal(deal, pool, 1);
        Ledger.assertStock(pool, 0, 3);

        deal(deal, new CloseDeal(deal, "its time passed"));
        Envelope closed = events.awaitOne("DealClosed", e -> Long.toString(deal).equals(e.aggregateId()));
        assertEquals(0, closed.payload().get("returned").get(0).get("qty").asInt());
        Ledger.assertStock(bag, 7, 0);

        deal(deal, new ReleaseReservation(first, "expired before payment"));
        events.awaitOne("ReservationReleased", e -> first.equals(e.aggregateId()));
        Ledger.assertStock(bag, 8, 0);
        Ledger.expireNow(expiring); // its time runs out: the stock-worker's own expiry job lets it go
        events.awaitOne("ReservationExpired", e -> expiring.equals(e.aggregateId()));
        Ledger.assertStock(bag, 9, 0);
        Ledger.assertStock(pool, 0, 1);
        assertEquals(2, Ledger.movements(bag, "DEAL_RETURN"));
        assertTrue(second.startsWith("ord-"));
        assertNoDeadLetter(deal);
        Ledger.assertBalanced();
    }

    /** A deal that sold everything and was paid in full closes with nothing to give back. */
    @Test
    void aDealPaidInFullClosesWithNothingToGiveBack() {
        String bag = newSku(4);
        long deal = DEALS.incrementAndGet();
        String pool = StockCommands.poolSku(deal, bag);
        setAside(deal, bag, 2);
        for (int i = 0; i < 2; i++) {
            String order = reserveFromDeal(deal, pool, 1);
            deal(deal, new CommitReservation(order));
            events.awaitOne("ReservationCommitted", e -> order.equals(e.aggregateId()));
        }
        deal(deal, new CloseDeal(deal, "ended early by an admin"));
        Envelope closed = events.awaitOne("DealClosed", e -> Long.toString(deal).equals(e.aggregateId()));
        assertEquals(0, closed.payload().get("returned").get(0).get("qty").asInt());
        Ledger.assertStock(bag, 2, 0);
        Ledger.assertStock(pool, 0, 0);
        assertNoDeadLetter(deal);
        Ledger.assertBalanced();
    }

    /**
     * A deal closed before any unit was set aside (refused, or ended while its set-aside was on its way) closes all
     * the same; a set-aside that reaches the stock-worker after the close (a replay) sets nothing aside.
     */
    @Test
    void aDealThatNeverGotItsUnitsClosesAndTakesNoneAfterwards() {
        String bag = newSku(5);
        long deal = DEALS.incrementAndGet();
        deal(deal, new CloseDeal(deal, "ended early by an admin"));
        Envelope closed = events.awaitOne("DealClosed", e -> Long.toString(deal).equals(e.aggregateId()));
        assertEquals(0, closed.payload().get("returned").size());

        deal(deal, new SetAsideDealStock(deal, 1, List.of(new Line(bag, 2))));
        deal(deal, new CloseDeal(deal, "its time passed"));
        String marker = newSku(1); // commands of one lane are applied in order: once this is in, so are those
        assertTrue(marker.startsWith("SKU-"));
        await().pollDelay(java.time.Duration.ofMillis(500)).untilAsserted(() -> {
            assertEquals(
                    0,
                    events.ofType("DealStockSetAside", e -> Long.toString(deal).equals(e.aggregateId()))
                            .size());
            assertEquals(
                    1,
                    events.ofType("DealClosed", e -> Long.toString(deal).equals(e.aggregateId()))
                            .size());
        });
        Ledger.assertStock(bag, 5, 0);
        assertNoDeadLetter(deal);
    }

    /**
     * A CloseDeal that the empty-ledger bug dead-lettered (stored as that bug left it: the pools still open, every
     * unit reserved) replays cleanly once fixed: the deal closes once and its unpaid units go back to the SKU.
     */
    @Test
    void aCloseDeadLetteredByTheEmptyLedgerBugReplaysCleanly() {
        String bag = newSku(6);
        long deal = DEALS.incrementAndGet();
        String pool = StockCommands.poolSku(deal, bag);
        setAside(deal, bag, 2);
        String a = reserveFromDeal(deal, pool, 1);
        String b = reserveFromDeal(deal, pool, 1);
        Envelope close = Messages.wrap("deal", Long.toString(deal), new CloseDeal(deal, "its time passed"));
        long letter = Ledger.insertDeadLetter(
                "stock-commands", close, "java.lang.IllegalArgumentException: The Uni set is empty", 5);

        String admin = sessions.create(1, com.sansam.runtime.session.Role.ADMIN)
                .await()
                .atMost(java.time.Duration.ofSeconds(5));
        io.restassured.RestAssured.given()
                .cookie("SESSION", admin)
                .post("/api/v1/admin/dead-letters/" + letter + "/replay")
                .then()
                .statusCode(200)
                .body("replayedAt", org.hamcrest.Matchers.notNullValue());
        events.awaitOne("DealClosed", e -> Long.toString(deal).equals(e.aggregateId()));
        for (String order : List.of(a, b)) {
            deal(deal, new ReleaseReservation(order, "expired before payment"));
            events.awaitOne("ReservationReleased", e -> order.equals(e.aggregateId()));
        }
        Ledger.assertStock(bag, 6, 0);
        Ledger.assertStock(pool, 0, 0);
        // Replaying it again, or the broker delivering it again, changes nothing.
        broker.publish(Messages.STOCK_COMMANDS_EXCHANGE, close);
        deal(deal, new CloseDeal(deal, "ended early by an admin"));
        newSku(1);
        await().pollDelay(java.time.Duration.ofMillis(500))
                .untilAsserted(() -> assertEquals(
                        1,
                        events.ofType("DealClosed", e -> Long.toString(deal).equals(e.aggregateId()))
                                .size()));
        Ledger.assertBalanced();
    }

    @jakarta.inject.Inject
    com.sansam.runtime.session.SessionStore sessions;

    private static void setAside(long deal, String sku, int units) {
        deal(deal, new SetAsideDealStock(deal, 1, List.of(new Line(sku, units))));
        events.awaitOne("DealStockSetAside", e -> Long.toString(deal).equals(e.aggregateId()));
    }

    /** No dead letter names the deal (its commands share its aggregate). */
    private static void assertNoDeadLetter(long deal) {
        assertEquals(0, Ledger.deadLetters("\"aggregateId\":\"" + deal + "\""), "dead letters of deal " + deal);
    }

    private static String reserveFromDeal(long deal, String pool, int qty) {
        String orderId = "ord-" + UUID.randomUUID();
        deal(
                deal,
                new ReserveStock(
                        orderId, List.of(new Line(pool, qty)), Instant.now().plusSeconds(600)));
        events.awaitOne("StockReserved", e -> orderId.equals(e.aggregateId()));
        return orderId;
    }

    private static void deal(long deal, Object command) {
        broker.publish(Messages.STOCK_COMMANDS_EXCHANGE, "deal", Long.toString(deal), command);
    }

    private static String newSku(int units) {
        String sku = "SKU-" + UUID.randomUUID().toString().substring(0, 13);
        broker.publish(Messages.STOCK_COMMANDS_EXCHANGE, "sku", sku, new AdjustStock(sku, units, "initial stock"));
        events.awaitOne("StockChanged", e -> sku.equals(e.aggregateId()));
        return sku;
    }
}
