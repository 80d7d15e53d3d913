package com.sansam.commerce.support;

import static com.sansam.commerce.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Order helpers for tests: place, wait for a status, read the real stock-worker's stock. */
public final class Orders {

    public static final Map<String, Object> ADDRESS = Map.of(
            "recipient",
            "김산삼",
            "phone",
            "010-1234-5678",
            "zipCode",
            "06000",
            "address1",
            "서울 강남구 압구정로 1",
            "address2",
            "101호");

    private Orders() {}

    public static Map<String, Object> line(String sku, int quantity, long price) {
        return Map.of("sku", sku, "quantity", quantity, "price", price);
    }

    /** Places an order and answers its body. */
    public static JsonPath place(String session, List<Map<String, Object>> lines) {
        return as(session)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("items", lines, "shippingAddress", ADDRESS))
                .post("/api/v1/orders")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    public static void awaitStatus(String session, String orderId, String status) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as(session)
                        .get("/api/v1/orders/" + orderId + "/status")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo(status)));
    }

    /** Places an order and waits until the stock-worker reserved it. */
    public static JsonPath reserved(String session, List<Map<String, Object>> lines) {
        JsonPath order = place(session, lines);
        awaitStatus(session, order.getString("orderId"), "STOCK_RESERVED");
        return order;
    }

    /** Places an order for one line and pays it through the Toss simulator: answers the orderId. */
    public static String paid(String session, String sku, int quantity, long price) {
        String orderId =
                reserved(session, java.util.List.of(line(sku, quantity, price))).getString("orderId");
        as(session)
                .body(Map.of("paymentKey", "pk_ok_" + orderId, "amount", price * quantity))
                .post("/api/v1/orders/" + orderId + "/payment")
                .then()
                .statusCode(200)
                .body("status", equalTo("PAID"));
        return orderId;
    }

    /** {available, reserved} of a SKU, read from the stock-worker's own (admin) API. */
    public static int[] stock(String adminSession, String sku) {
        JsonPath stock = given().cookie("SESSION", adminSession)
                .get(StockWorkerProcess.baseUrl() + "/api/v1/stock/" + sku)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        return new int[] {stock.getInt("available"), stock.getInt("reserved")};
    }

    public static void awaitStock(String adminSession, String sku, int available, int reserved) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            int[] now = stock(adminSession, sku);
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    new int[] {available, reserved}, now, "available/reserved of " + sku);
        });
    }

    /**
     * Waits until a drop is decided: of the placed orders ({session, orderId}), exactly {@code reserved} reach
     * STOCK_RESERVED and the rest REJECTED, so that with the ones refused at once (409 sold-out) every buyer heard.
     */
    public static void awaitDrop(List<String[]> placed, int refusedAtOnce, int buyers, int reserved, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            int reservedNow = 0;
            int rejected = 0;
            for (String[] order : placed) {
                String status = as(order[0])
                        .get("/api/v1/orders/" + order[1] + "/status")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getString("status");
                if (status.equals("STOCK_RESERVED")) {
                    reservedNow++;
                } else if (status.equals("REJECTED")) {
                    rejected++;
                }
            }
            org.junit.jupiter.api.Assertions.assertEquals(reserved, reservedNow, "reserved orders");
            org.junit.jupiter.api.Assertions.assertEquals(
                    buyers - reserved, rejected + refusedAtOnce, "rejected orders and orders refused as sold out");
        });
    }
}
