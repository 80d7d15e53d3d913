package com.sansam.commerce.catalog;

import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.commerce.catalog.service.StockGate;
import com.sansam.commerce.support.Api;
import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import com.sansam.commerce.support.Orders;
import com.sansam.commerce.support.StockDb;
import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.messages.StockEvents;
import com.sansam.runtime.testing.TestBroker;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A reservation's StockReserved carries what it left of each SKU (the StockChanged it used to send on its own): the
 * catalogue and the stock gate learn it from that one message, against the real stock-worker, broker and Redis.
 */
@QuarkusTest
class ReservationLevelsTest {

    private static final long TOTE = 2;
    private static final long PRICE = 1_800_000;

    @Inject
    RedisDataSource redis;

    private Map<String, String> gate(String sku) {
        return redis.hash(String.class).hgetall(StockGate.key(sku));
    }

    @Test
    void aReservationTellsTheCatalogueAndTheGateWhatItLeftInOneMessage() {
        Created bag = Catalog.product(adminSession(), Catalog.uniqueBrand(), "버킷 백", PRICE, TOTE, "", 1, 5);
        Catalog.awaitAvailable(bag.id(), bag.sku(), 5);

        Orders.reserved(Api.newUserSession(), List.of(Orders.line(bag.sku(), 2, PRICE)));
        Orders.reserved(Api.newUserSession(), List.of(Orders.line(bag.sku(), 1, PRICE)));

        Catalog.awaitAvailable(bag.id(), bag.sku(), 2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, String> gate = gate(bag.sku());
            assertEquals("2", gate.get("a"), gate.toString());
            assertEquals("0", gate.get("h"), "no units held: both claims ended with the levels " + gate);
            assertTrue(gate.keySet().stream().noneMatch(field -> field.startsWith("o:")), gate.toString());
        });
        // the initial stock's StockChanged only: the reservations told their levels in their StockReserved
        assertEquals(1, StockDb.outboxMessages("StockChanged", bag.sku()));
    }

    /**
     * A restock's StockChanged is still on its way when a later reservation's levels arrive: those levels bring the
     * sold-out SKU back, so they are applied on their own path, which tells the wishers (once, however often the
     * message comes); the restock's news, arriving last, is stale and changes nothing.
     */
    @Test
    void levelsThatOvertookARestockTellTheWishersOnce() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "미니 토트", PRICE, TOTE, "", 1, 1);
        String sku = bag.sku();
        Catalog.awaitAvailable(bag.id(), sku, 1);
        Orders.reserved(Api.newUserSession(), List.of(Orders.line(sku, 1, PRICE)));
        Catalog.awaitAvailable(bag.id(), sku, 0); // version 2: the initial stock was 1
        String wisher = Api.newUserSession();
        as(wisher).put("/api/v1/wishlist/" + bag.id()).then().statusCode(204);

        String orderId = "ORD-LEVELS-" + System.nanoTime(); // no such order here: its outcome changes nothing
        Envelope reserved = Messages.wrap(
                "order", orderId, new StockEvents.StockReserved(orderId, List.of(new StockEvents.SkuLevel(sku, 2, 4))));
        try (TestBroker broker = new TestBroker()) {
            broker.publish(Messages.STOCK_EVENTS_EXCHANGE, reserved);
            broker.publish(Messages.STOCK_EVENTS_EXCHANGE, reserved); // a redelivery
            Catalog.awaitAvailable(bag.id(), sku, 2);
            broker.publish(
                    Messages.STOCK_EVENTS_EXCHANGE,
                    Messages.wrap("sku", sku, new StockEvents.StockChanged(sku, 3, 3))); // the restock, late
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertEquals(List.of("BACK_IN_STOCK"), backInStock(wisher)));
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertEquals(List.of("BACK_IN_STOCK"), backInStock(wisher), "told once");
            Catalog.awaitAvailable(bag.id(), sku, 2);
            assertEquals("2", gate(sku).get("a"));
            assertEquals("4", gate(sku).get("v"));
        });
    }

    private static List<String> backInStock(String session) {
        List<String> kinds =
                as(session).get("/api/v1/notifications").then().extract().path("notifications.kind");
        return kinds.stream().filter("BACK_IN_STOCK"::equals).toList();
    }
}
