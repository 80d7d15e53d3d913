package com.sansam.commerce.order;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.newUserSession;
import static com.sansam.commerce.support.Api.problem;
import static com.sansam.commerce.support.Api.verifiedUserSession;
import static com.sansam.commerce.support.Orders.awaitStatus;
import static com.sansam.commerce.support.Orders.awaitStock;
import static com.sansam.commerce.support.Orders.line;
import static com.sansam.commerce.support.Orders.reserved;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.commerce.order.service.Purchases;
import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import com.sansam.commerce.support.Deals;
import com.sansam.commerce.support.TestDealClock;
import com.sansam.commerce.support.TossSimulator;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Unpaid orders expire (here after 3 s instead of 10 minutes); paying one is refused before Toss is called. */
@QuarkusTest
@TestProfile(OrderExpiryTest.ShortTtl.class)
class OrderExpiryTest {

    public static class ShortTtl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sansam.order.unpaid-ttl", "PT3S", "sansam.deals.unpaid-ttl", "PT3S");
        }
    }

    @Inject
    Purchases purchases;

    @Test
    void anUnpaidOrderExpiresItsStockReturnsAndPaymentIsRefusedBeforeToss() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 1_000_000, 2, "", 1, 1);
        String user = newUserSession();
        String orderId = reserved(user, List.of(line(bag.sku(), 1, 1_000_000))).getString("orderId");
        awaitStock(admin, bag.sku(), 0, 1);

        awaitStatus(user, orderId, "EXPIRED");
        awaitStock(admin, bag.sku(), 1, 0);
        problem(
                as(user).body(Map.of("paymentKey", "pk_ok_" + orderId, "amount", 1_000_000))
                        .post("/api/v1/orders/" + orderId + "/payment"),
                409);
        TossSimulator.server()
                .verify(
                        0,
                        postRequestedFor(urlEqualTo("/v1/payments/confirm"))
                                .withRequestBody(matchingJsonPath("$.orderId", equalTo(orderId))));
    }

    @Test
    void aPaidOrderRecordsItsBuyer() throws Throwable {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 1_000_000, 2, "", 1, 2);
        String buyer = newUserSession();
        String browser = newUserSession();
        String orderId = reserved(buyer, List.of(line(bag.sku(), 1, 1_000_000))).getString("orderId");
        as(buyer)
                .body(Map.of("paymentKey", "pk_ok_" + orderId, "amount", 1_000_000))
                .post("/api/v1/orders/" + orderId + "/payment")
                .then()
                .statusCode(200);
        long buyerId =
                as(buyer).get("/api/v1/users/me").then().extract().jsonPath().getLong("id");
        long browserId =
                as(browser).get("/api/v1/users/me").then().extract().jsonPath().getLong("id");
        assertTrue(VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> purchases.hasBought(buyerId, bag.id()))));
        assertFalse(VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> purchases.hasBought(browserId, bag.id()))));
    }

    /** An unpaid deal order that expires gives its unit back to the deal (and to the buyer's limit) while it runs. */
    @Test
    void anExpiredDealOrderGivesItsUnitBackToTheDealAndTheBuyer() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Deal bag", 1_000_000, 2, "", 1, 3);
        java.time.Instant start = TestDealClock.current().plus(java.time.Duration.ofHours(1));
        long dealId = Deals.open(
                admin,
                Deals.deal(
                        bag.id(),
                        List.of(Deals.dealLine(bag.sku(), 700_000, 1)),
                        1,
                        start,
                        start.plus(java.time.Duration.ofHours(2))));
        TestDealClock.advance(java.time.Duration.ofMinutes(61));
        try {
            String buyer = verifiedUserSession();
            String orderId = Deals.order(buyer, Deals.dealItem(bag.sku(), 1, 700_000, dealId))
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath()
                    .getString("orderId");
            problem(Deals.order(verifiedUserSession(), Deals.dealItem(bag.sku(), 1, 700_000, dealId)), 409);
            awaitStatus(buyer, orderId, "EXPIRED");
            awaitStock(admin, com.sansam.messages.StockCommands.poolSku(dealId, bag.sku()), 1, 0);
            // The unit is the deal's again (after the sold-out hint runs out), and the same buyer may take it.
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .untilAsserted(() -> Deals.order(buyer, Deals.dealItem(bag.sku(), 1, 700_000, dealId))
                            .then()
                            .statusCode(201));
        } finally {
            TestDealClock.reset();
        }
    }
}
