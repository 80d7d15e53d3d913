package com.sansam.commerce.order;

import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.newUserSession;
import static com.sansam.commerce.support.Orders.awaitStock;
import static com.sansam.commerce.support.Orders.line;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.commerce.catalog.service.StockGate;
import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import com.sansam.commerce.support.Orders;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A limited drop: 300 buyers fire at once at one SKU with 3 units, through the real stock-worker. Exactly 3 orders
 * are reserved; every other buyer is told "sold out", almost all at once (409 {@code sold-out}, by the stock gate),
 * a few by a REJECTED order; nobody gets a 5xx and no order is left PENDING.
 */
@QuarkusTest
class RushTest {

    @Inject
    RedisDataSource redis;

    private static final int BUYERS = 300;
    private static final int UNITS = 3;
    private static final long PRICE = 4_800_000;

    @Test
    void threeHundredBuyersForThreeUnitsGetExactlyThreeAndEveryoneElseHearsSoldOut() throws Exception {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Drop bag", PRICE, 2, "", 1, UNITS);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> signedUp = new ArrayList<>();
            for (int i = 0; i < BUYERS; i++) {
                signedUp.add(pool.submit(com.sansam.commerce.support.Api::newUserSession));
            }
            List<String> buyers = new ArrayList<>();
            for (Future<String> session : signedUp) {
                buyers.add(session.get());
            }

            // The stock gate has heard of the SKU's units (the stock-worker's StockChanged) before the drop opens.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Integer.toString(UNITS)
                            .equals(redis.hash(String.class).hget(StockGate.key(bag.sku()), "a")));

            CountDownLatch start = new CountDownLatch(1);
            List<Future<String[]>> answers = new ArrayList<>();
            for (String buyer : buyers) {
                answers.add(pool.submit(() -> {
                    start.await();
                    String key = UUID.randomUUID().toString();
                    Response answer = as(buyer)
                            .header("Idempotency-Key", key)
                            .body(Map.of(
                                    "items", List.of(line(bag.sku(), 1, PRICE)), "shippingAddress", Orders.ADDRESS))
                            .post("/api/v1/orders");
                    return new String[] {buyer, Integer.toString(answer.statusCode()), answer.asString(), key};
                }));
            }
            start.countDown();

            List<String[]> placed = new ArrayList<>();
            int soldOutAtOnce = 0;
            for (Future<String[]> future : answers) {
                String[] answer = future.get(120, TimeUnit.SECONDS);
                int status = Integer.parseInt(answer[1]);
                assertTrue(status == 201 || status == 409, "no 5xx and no other refusal: " + status + " " + answer[2]);
                if (status == 409) {
                    assertEquals(
                            "/problems/sold-out",
                            io.restassured.path.json.JsonPath.from(answer[2]).getString("type"));
                    soldOutAtOnce++;
                } else {
                    placed.add(new String[] {
                        answer[0],
                        io.restassured.path.json.JsonPath.from(answer[2]).getString("orderId"),
                        answer[3]
                    });
                }
            }

            Orders.awaitDrop(placed, soldOutAtOnce, BUYERS, UNITS, Duration.ofSeconds(60));
            // The stock gate admits exactly the buyers the units are for; everyone else is told at once.
            assertEquals(BUYERS - UNITS, soldOutAtOnce, "told at once");
            awaitStock(admin, bag.sku(), 0, UNITS);

            // Once the drop is known to be over, the next buyer hears it at once, without an order.
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> as(newUserSession())
                            .header("Idempotency-Key", UUID.randomUUID().toString())
                            .body(Map.of(
                                    "items", List.of(line(bag.sku(), 1, PRICE)), "shippingAddress", Orders.ADDRESS))
                            .post("/api/v1/orders")
                            .then()
                            .statusCode(409)
                            .contentType("application/problem+json")
                            .body("type", endsWith("/sold-out"))
                            .body("extra.sku", equalTo(bag.sku())));
            // A buyer repeating an order (same Idempotency-Key) gets that order back, sold out or not.
            String[] first = placed.get(0);
            as(first[0])
                    .header("Idempotency-Key", first[2])
                    .body(Map.of("items", List.of(line(bag.sku(), 1, PRICE)), "shippingAddress", Orders.ADDRESS))
                    .post("/api/v1/orders")
                    .then()
                    .statusCode(201)
                    .body("orderId", equalTo(first[1]));
        } finally {
            pool.shutdownNow();
        }
    }
}
