package com.sansam.commerce.order;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.newUserSession;
import static com.sansam.commerce.support.Api.problem;
import static com.sansam.commerce.support.Orders.awaitStatus;
import static com.sansam.commerce.support.Orders.awaitStock;
import static com.sansam.commerce.support.Orders.line;
import static com.sansam.commerce.support.Orders.reserved;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import com.sansam.commerce.support.Orders;
import com.sansam.commerce.support.TossSimulator;
import com.sansam.messages.Messages;
import com.sansam.messages.StockCommands;
import com.sansam.runtime.testing.TestBroker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Orders end to end: real PostgreSQL, Redis, RabbitMQ, the real stock-worker process and the Toss simulator. */
@QuarkusTest
class OrderFlowTest {

    private static final long BAG = 2;

    @Test
    void happyPathFromOrderToPaymentAndCommittedStock() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "레더 토트백", 3_200_000, BAG, "", 1, 2);
        Created scarf = Catalog.product(admin, Catalog.uniqueBrand(), "실크 스카프", 690_000, 13, "", 1, 3);
        awaitStock(admin, scarf.sku(), 3, 0);
        String user = newUserSession();

        JsonPath order = Orders.place(user, List.of(line(bag.sku(), 1, 3_200_000), line(scarf.sku(), 2, 690_000)));
        String orderId = order.getString("orderId");
        assertTrue(orderId.matches("[A-Za-z0-9_-]{6,64}"), orderId);
        assertEquals("레더 토트백 외 1건", order.getString("orderName"));
        assertEquals(4_580_000L, order.getLong("amount"));
        awaitStatus(user, orderId, "STOCK_RESERVED");
        awaitStock(admin, scarf.sku(), 1, 2);

        as(user).body(Map.of("paymentKey", "pk_ok_" + orderId, "amount", 4_580_000))
                .post("/api/v1/orders/" + orderId + "/payment")
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("PAID"));
        awaitStatus(user, orderId, "PAID");
        awaitStock(admin, scarf.sku(), 1, 0); // committed: sold, no longer held
        awaitStock(admin, bag.sku(), 1, 0);

        String expectedAuth =
                "Basic " + Base64.getEncoder().encodeToString("test_sk_sansam_tests:".getBytes(StandardCharsets.UTF_8));
        TossSimulator.server()
                .verify(
                        1,
                        postRequestedFor(urlEqualTo("/v1/payments/confirm"))
                                .withHeader("Authorization", equalTo(expectedAuth))
                                .withHeader("Idempotency-Key", equalTo("confirm-" + orderId))
                                .withRequestBody(matchingJsonPath("$.amount", equalTo("4580000"))));
        as(user).get("/api/v1/orders").then().body("items[0].orderId", org.hamcrest.Matchers.equalTo(orderId));
        as(admin).get("/api/v1/orders/" + orderId).then().statusCode(200);
        as(admin)
                .queryParam("status", "PAID")
                .get("/api/v1/admin/orders")
                .then()
                .statusCode(200)
                .body("items.orderId", org.hamcrest.Matchers.hasItem(orderId));
    }

    @Test
    void theSameIdempotencyKeyNeverMakesASecondOrder() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 1_000_000, BAG, "", 1, 5);
        String user = newUserSession();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body =
                Map.of("items", List.of(line(bag.sku(), 1, 1_000_000)), "shippingAddress", Orders.ADDRESS);

        List<CompletableFuture<String>> attempts = java.util.stream.IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> as(user).header("Idempotency-Key", key)
                        .body(body)
                        .post("/api/v1/orders")
                        .then()
                        .statusCode(201)
                        .extract()
                        .jsonPath()
                        .getString("orderId")))
                .toList();
        List<String> ids =
                attempts.stream().map(CompletableFuture::join).distinct().toList();
        assertEquals(1, ids.size(), "one order for one key: " + ids);
        as(user).get("/api/v1/orders").then().body("items.size()", org.hamcrest.Matchers.equalTo(1));
        awaitStatus(user, ids.get(0), "STOCK_RESERVED");
        awaitStock(admin, bag.sku(), 4, 1);

        problem(as(user).body(body).post("/api/v1/orders"), 400)
                .then()
                .body("field", org.hamcrest.Matchers.equalTo("Idempotency-Key"));
    }

    /**
     * A repeat of an order request that took the last unit (a client that never saw the 201) is refused as sold out
     * by the gate, yet answers the order it placed: a key used before always looks for its order.
     */
    @Test
    void aRepeatOfTheOrderThatTookTheLastUnitAnswersThatOrder() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Last bag", 1_000_000, BAG, "", 1, 1);
        awaitStock(admin, bag.sku(), 1, 0);
        String user = newUserSession();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body =
                Map.of("items", List.of(line(bag.sku(), 1, 1_000_000)), "shippingAddress", Orders.ADDRESS);
        String first = as(user).header("Idempotency-Key", key)
                .body(body)
                .post("/api/v1/orders")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("orderId");
        awaitStatus(user, first, "STOCK_RESERVED");
        problem(
                        as(newUserSession())
                                .header("Idempotency-Key", UUID.randomUUID().toString())
                                .body(body)
                                .post("/api/v1/orders"),
                        409)
                .then()
                .body("type", org.hamcrest.Matchers.equalTo("/problems/sold-out"));
        as(user).header("Idempotency-Key", key)
                .body(body)
                .post("/api/v1/orders")
                .then()
                .statusCode(201)
                .body("orderId", org.hamcrest.Matchers.equalTo(first));
    }

    @Test
    void anotherUsersOrderIsNotFound() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 1_000_000, BAG, "", 1, 5);
        String alice = newUserSession();
        String bob = newUserSession();
        String orderId = reserved(alice, List.of(line(bag.sku(), 1, 1_000_000))).getString("orderId");
        problem(as(bob).get("/api/v1/orders/" + orderId), 404);
        problem(as(bob).get("/api/v1/orders/" + orderId + "/status"), 404);
        problem(
                as(bob).body(Map.of("paymentKey", "pk_x", "amount", 1_000_000))
                        .post("/api/v1/orders/" + orderId + "/payment"),
                404);
        problem(as(bob).body(Map.of("reason", "mine now")).post("/api/v1/orders/" + orderId + "/cancel"), 404);
        problem(as(bob).delete("/api/v1/orders/" + orderId), 404);
        problem(as(bob).get("/api/v1/admin/orders"), 403);
        awaitStatus(alice, orderId, "STOCK_RESERVED");
    }

    @Test
    void aChangedPriceIs409AndNothingIsReserved() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 1_000_000, BAG, "", 1, 5);
        awaitStock(admin, bag.sku(), 5, 0);
        as(admin)
                .body(Map.of("price", 1_100_000))
                .patch("/api/v1/admin/products/" + bag.id())
                .then()
                .statusCode(200);
        String user = newUserSession();
        problem(
                        as(user).header("Idempotency-Key", UUID.randomUUID().toString())
                                .body(Map.of(
                                        "items",
                                        List.of(line(bag.sku(), 1, 1_000_000)),
                                        "shippingAddress",
                                        Orders.ADDRESS))
                                .post("/api/v1/orders"),
                        409)
                .then()
                .body("extra.currentPrice", org.hamcrest.Matchers.equalTo(1_100_000));
        as(user).get("/api/v1/orders").then().body("items.size()", org.hamcrest.Matchers.equalTo(0));
        assertEquals(5, Orders.stock(admin, bag.sku())[0]);
        problem(
                        as(user).header("Idempotency-Key", UUID.randomUUID().toString())
                                .body(Map.of("items", List.of(line(bag.sku(), 11, 1_100_000))))
                                .post("/api/v1/orders"),
                        400)
                .then()
                .body("field", org.hamcrest.Matchers.equalTo("items[0].quantity"));
    }

    @Test
    void anAmountMismatchIs400AndTossIsNeverCalled() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 1_000_000, BAG, "", 1, 5);
        String user = newUserSession();
        String orderId = reserved(user, List.of(line(bag.sku(), 1, 1_000_000))).getString("orderId");
        problem(
                        as(user).body(Map.of("paymentKey", "pk_ok_" + orderId, "amount", 1))
                                .post("/api/v1/orders/" + orderId + "/payment"),
                        400)
                .then()
                .body("field", org.hamcrest.Matchers.equalTo("amount"));
        TossSimulator.server()
                .verify(
                        0,
                        postRequestedFor(urlEqualTo("/v1/payments/confirm"))
                                .withRequestBody(matchingJsonPath("$.orderId", equalTo(orderId))));
        awaitStatus(user, orderId, "STOCK_RESERVED");
    }

    @Test
    void aRejectedCardFailsThePaymentAndReleasesTheStock() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 1_000_000, BAG, "", 1, 2);
        String user = newUserSession();
        String orderId = reserved(user, List.of(line(bag.sku(), 1, 1_000_000))).getString("orderId");
        awaitStock(admin, bag.sku(), 1, 1);
        problem(
                        as(user).body(Map.of("paymentKey", "pk_reject_" + orderId, "amount", 1_000_000))
                                .post("/api/v1/orders/" + orderId + "/payment"),
                        402)
                .then()
                .body("extra.code", org.hamcrest.Matchers.equalTo("REJECT_CARD_PAYMENT"));
        awaitStatus(user, orderId, "PAYMENT_FAILED");
        awaitStock(admin, bag.sku(), 2, 0);
        problem(
                as(user).body(Map.of("paymentKey", "pk_ok_" + orderId, "amount", 1_000_000))
                        .post("/api/v1/orders/" + orderId + "/payment"),
                409);
    }

    @Test
    void aServerErrorIsRetriedWithTheSameIdempotencyKey() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 1_000_000, BAG, "", 1, 2);
        String user = newUserSession();
        String orderId = reserved(user, List.of(line(bag.sku(), 1, 1_000_000))).getString("orderId");
        String paymentKey = "pk_flaky_" + orderId;
        TossSimulator.server().resetScenarios();
        as(user).body(Map.of("paymentKey", paymentKey, "amount", 1_000_000))
                .post("/api/v1/orders/" + orderId + "/payment")
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("PAID"));
        TossSimulator.server()
                .verify(
                        2,
                        postRequestedFor(urlEqualTo("/v1/payments/confirm"))
                                .withHeader("Idempotency-Key", equalTo("confirm-" + orderId)));
    }

    @Test
    void aTimedOutConfirmThatDidSucceedIsFoundByLookingItUp() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 1_000_000, BAG, "", 1, 2);
        String user = newUserSession();
        String orderId = reserved(user, List.of(line(bag.sku(), 1, 1_000_000))).getString("orderId");
        String paymentKey = "pk_slow_" + orderId;
        TossSimulator.server()
                .stubFor(WireMock.get(urlEqualTo("/v1/payments/orders/" + orderId))
                        .atPriority(1)
                        .willReturn(aResponse()
                                .withHeader("Content-Type", "application/json")
                                .withBody("""
                        {"paymentKey":"%s","orderId":"%s","status":"DONE","totalAmount":1000000,"balanceAmount":1000000,"currency":"KRW"}""".formatted(paymentKey, orderId))));
        as(user).body(Map.of("paymentKey", paymentKey, "amount", 1_000_000))
                .post("/api/v1/orders/" + orderId + "/payment")
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("PAID"));
        awaitStock(admin, bag.sku(), 1, 0);
    }

    @Test
    void twoCancelsRacingRefundOnceAndRestoreOnce() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 1_000_000, BAG, "", 1, 3);
        String user = newUserSession();
        String orderId = paid(user, List.of(line(bag.sku(), 2, 1_000_000)), 2_000_000);
        awaitStock(admin, bag.sku(), 1, 0);

        List<CompletableFuture<Integer>> cancels = java.util.stream.IntStream.range(0, 2)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> as(user).body(Map.of("reason", "changed my mind"))
                        .post("/api/v1/orders/" + orderId + "/cancel")
                        .statusCode()))
                .toList();
        List<Integer> codes =
                cancels.stream().map(CompletableFuture::join).sorted().toList();
        assertEquals(List.of(200, 409), codes);

        awaitStatus(user, orderId, "CANCELLED");
        awaitStock(admin, bag.sku(), 3, 0);
        TossSimulator.server()
                .verify(1, postRequestedFor(urlPathMatching("/v1/payments/pk_ok_" + orderId + "/cancel")));
        problem(as(user).body(Map.of("reason", "again")).post("/api/v1/orders/" + orderId + "/cancel"), 409);
    }

    @Test
    void aBuyerWaitingOnTheStatusLearnsTheOutcomeInOneRequest() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 1_500_000, BAG, "", 1, 2);
        String user = newUserSession();
        String orderId =
                Orders.place(user, List.of(line(bag.sku(), 1, 1_500_000))).getString("orderId");
        long start = System.nanoTime();
        as(user).queryParam("waitWhile", "PENDING")
                .queryParam("wait", 20)
                .get("/api/v1/orders/" + orderId + "/status")
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("STOCK_RESERVED"));
        org.junit.jupiter.api.Assertions.assertTrue(
                System.nanoTime() - start < java.util.concurrent.TimeUnit.SECONDS.toNanos(15),
                "answered when decided, not at the end of the wait");
        // waiting while it is in another status answers at once; bad parameters are problems
        as(user).queryParam("waitWhile", "PENDING")
                .queryParam("wait", 20)
                .get("/api/v1/orders/" + orderId + "/status")
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("STOCK_RESERVED"));
        problem(as(user).queryParam("waitWhile", "NOPE").get("/api/v1/orders/" + orderId + "/status"), 400)
                .then()
                .body("field", org.hamcrest.Matchers.equalTo("waitWhile"));
        problem(
                        as(user).queryParam("waitWhile", "PENDING")
                                .queryParam("wait", 31)
                                .get("/api/v1/orders/" + orderId + "/status"),
                        400)
                .then()
                .body("field", org.hamcrest.Matchers.equalTo("wait"));
        problem(
                as(newUserSession()).queryParam("waitWhile", "PENDING").get("/api/v1/orders/" + orderId + "/status"),
                404);
    }

    @Test
    void anOrderPostedWithPreferWaitIsAnsweredOnceDecided() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 1_500_000, BAG, "", 1, 2);
        String user = newUserSession();
        String key = java.util.UUID.randomUUID().toString();
        Map<String, Object> order =
                Map.of("items", List.of(line(bag.sku(), 1, 1_500_000)), "shippingAddress", Orders.ADDRESS);
        String orderId = as(user).header("Idempotency-Key", key)
                .header("Prefer", "respond-async, wait=20")
                .body(order)
                .post("/api/v1/orders")
                .then()
                .statusCode(201)
                .header("Preference-Applied", "wait")
                .body("status", org.hamcrest.Matchers.equalTo("STOCK_RESERVED"))
                .body("lines[0].sku", org.hamcrest.Matchers.equalTo(bag.sku()))
                .extract()
                .path("orderId");
        // its pending status was never cached (the buyer waited for the decision): a status read finds the decided one
        as(user).get("/api/v1/orders/" + orderId + "/status")
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("STOCK_RESERVED"));
        // the same key again: the same order, already decided, at once
        as(user).header("Idempotency-Key", key)
                .header("Prefer", "wait=20")
                .body(order)
                .post("/api/v1/orders")
                .then()
                .statusCode(201)
                .body("status", org.hamcrest.Matchers.equalTo("STOCK_RESERVED"));
        // a preference it cannot read is ignored, not refused
        as(user).header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                .header("Prefer", "wait=soon")
                .body(order)
                .post("/api/v1/orders")
                .then()
                .statusCode(201)
                .header("Preference-Applied", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aCancelNamingTheSameSkuTwiceIs400AndClaimsNothing() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 1_500_000, BAG, "", 1, 2);
        String user = newUserSession();
        String orderId = paid(user, List.of(line(bag.sku(), 2, 1_500_000)), 3_000_000);

        problem(
                        as(user).body(Map.of(
                                        "reason",
                                        "twice",
                                        "lines",
                                        List.of(
                                                Map.of("sku", bag.sku(), "quantity", 2),
                                                Map.of("sku", bag.sku(), "quantity", 1))))
                                .post("/api/v1/orders/" + orderId + "/cancel"),
                        400)
                .then()
                .body("field", org.hamcrest.Matchers.equalTo("lines"));
        TossSimulator.server()
                .verify(0, postRequestedFor(urlPathMatching("/v1/payments/pk_ok_" + orderId + "/cancel")));
        as(user).get("/api/v1/orders/" + orderId)
                .then()
                .body("status", org.hamcrest.Matchers.equalTo("PAID"))
                .body("lines.cancelledQuantity", containsInAnyOrder(0));
    }

    @Test
    void aPartialCancelRefundsOneLineAndRestoresOnlyIt() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 1_500_000, BAG, "", 1, 2);
        Created wallet = Catalog.product(admin, Catalog.uniqueBrand(), "Wallet", 560_000, 12, "", 1, 2);
        String user = newUserSession();
        String orderId = paid(user, List.of(line(bag.sku(), 1, 1_500_000), line(wallet.sku(), 1, 560_000)), 2_060_000);
        awaitStock(admin, wallet.sku(), 1, 0);

        as(user).body(Map.of(
                        "reason", "wallet not needed", "lines", List.of(Map.of("sku", wallet.sku(), "quantity", 1))))
                .post("/api/v1/orders/" + orderId + "/cancel")
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("PARTIALLY_CANCELLED"))
                .body("cancelledAmount", org.hamcrest.Matchers.equalTo(560_000));
        TossSimulator.server()
                .verify(
                        1,
                        postRequestedFor(urlPathMatching("/v1/payments/pk_ok_" + orderId + "/cancel"))
                                .withRequestBody(matchingJsonPath("$.cancelAmount", equalTo("560000"))));
        awaitStock(admin, wallet.sku(), 2, 0);
        awaitStock(admin, bag.sku(), 1, 0);
        awaitStatus(user, orderId, "PARTIALLY_CANCELLED");
        as(user).get("/api/v1/orders/" + orderId).then().body("lines.cancelledQuantity", containsInAnyOrder(0, 1));
    }

    @Test
    void cancellingBeforePaymentReleasesTheReservation() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 1_000_000, BAG, "", 1, 2);
        String user = newUserSession();
        String first = reserved(user, List.of(line(bag.sku(), 1, 1_000_000))).getString("orderId");
        String second = reserved(user, List.of(line(bag.sku(), 1, 1_000_000))).getString("orderId");
        awaitStock(admin, bag.sku(), 0, 2);
        as(user).body(Map.of("reason", "wrong size"))
                .post("/api/v1/orders/" + first + "/cancel")
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("CANCELLED"));
        as(user).delete("/api/v1/orders/" + second).then().statusCode(204);
        awaitStatus(user, second, "CANCELLED");
        awaitStock(admin, bag.sku(), 2, 0);
    }

    @Test
    void aCommitThatFailsAfterPaymentIsRefundedAutomatically() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 1_000_000, BAG, "", 1, 1);
        String alice = newUserSession();
        String bob = newUserSession();
        String late = reserved(alice, List.of(line(bag.sku(), 1, 1_000_000))).getString("orderId");
        // Fault injection: the stock-worker loses alice's reservation (as if it had expired) and bob takes the unit.
        try (TestBroker broker = new TestBroker()) {
            broker.publish(
                    Messages.STOCK_COMMANDS_EXCHANGE,
                    "order",
                    late,
                    new StockCommands.ReleaseReservation(late, "test: lost race"));
        }
        awaitStock(admin, bag.sku(), 1, 0);
        String winner = reserved(bob, List.of(line(bag.sku(), 1, 1_000_000))).getString("orderId");

        as(alice)
                .body(Map.of("paymentKey", "pk_ok_" + late, "amount", 1_000_000))
                .post("/api/v1/orders/" + late + "/payment")
                .then()
                .statusCode(200);
        awaitStatus(alice, late, "REFUNDED");
        TossSimulator.server()
                .verify(
                        1,
                        postRequestedFor(urlPathMatching("/v1/payments/pk_ok_" + late + "/cancel"))
                                .withHeader("Idempotency-Key", equalTo("refund-" + late)));
        awaitStatus(bob, winner, "STOCK_RESERVED");
        awaitStock(admin, bag.sku(), 0, 1);
    }

    private static String paid(String user, List<Map<String, Object>> lines, long amount) {
        String orderId = reserved(user, lines).getString("orderId");
        as(user).body(Map.of("paymentKey", "pk_ok_" + orderId, "amount", amount))
                .post("/api/v1/orders/" + orderId + "/payment")
                .then()
                .statusCode(200);
        return orderId;
    }
}
