package com.sansam.commerce.support;

import static com.sansam.commerce.support.Api.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Time deals as an admin opens them and a shopper buys from them. */
public final class Deals {

    private Deals() {}

    public static Map<String, Object> dealLine(String sku, long dealPrice, int quantity) {
        return Map.of("sku", sku, "dealPrice", dealPrice, "quantity", quantity);
    }

    public static Map<String, Object> deal(
            long productId, List<Map<String, Object>> lines, int limit, Instant startsAt, Instant endsAt) {
        return Map.of(
                "productId",
                productId,
                "lines",
                lines,
                "perBuyerLimit",
                limit,
                "startsAt",
                startsAt.toString(),
                "endsAt",
                endsAt.toString(),
                "title",
                "타임딜 " + UUID.randomUUID().toString().substring(0, 8));
    }

    /** Opens a deal and waits until the stock-worker set its units aside: answers its id. */
    public static long open(String admin, Map<String, Object> body) {
        long id = as(admin)
                .body(body)
                .post("/api/v1/admin/deals")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        awaitStatus(admin, id, "OPEN");
        return id;
    }

    public static void awaitStatus(String admin, long dealId, String status) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as(admin)
                        .get("/api/v1/admin/deals/" + dealId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo(status)));
    }

    public static JsonPath admin(String admin, long dealId) {
        return as(admin)
                .get("/api/v1/admin/deals/" + dealId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    public static Map<String, Object> dealItem(String sku, int quantity, long price, long dealId) {
        return Map.of("sku", sku, "quantity", quantity, "price", price, "dealId", dealId);
    }

    public static io.restassured.response.Response order(String session, Map<String, Object> item) {
        return as(session)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("items", List.of(item), "shippingAddress", Orders.ADDRESS))
                .post("/api/v1/orders");
    }

    /** Neither the stock-worker nor commerce-api holds a dead letter of the deal or of these orders. */
    public static void assertNoDeadLetters(String admin, long dealId, List<String> orders) {
        List<String> names = new java.util.ArrayList<>(orders);
        names.add("\"aggregateId\":\"" + dealId + "\"");
        List<String> bodies = as(admin)
                .get("/api/v1/admin/dead-letters")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("body");
        for (String name : names) {
            org.junit.jupiter.api.Assertions.assertEquals(
                    0, StockDb.deadLetters(name), "stock-worker dead letters of " + name);
            org.junit.jupiter.api.Assertions.assertTrue(
                    bodies.stream().noneMatch(body -> body.contains(name)), "commerce-api dead letters of " + name);
        }
    }
}
