package com.sansam.commerce.order;

import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.newUserSession;
import static com.sansam.commerce.support.Orders.awaitStock;
import static com.sansam.commerce.support.Orders.line;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import com.sansam.commerce.support.Orders;
import com.sansam.commerce.support.StockWorkerProcess;
import com.sansam.runtime.testing.BrokerRestarts;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Faults in the middle of a burst of orders for a scarce SKU: the stock-worker killed (SIGKILL) and restarted,
 * and RabbitMQ stopped and started. Afterwards every order is in a final state, exactly the available units
 * were reserved, and the stock ledger adds up.
 */
@QuarkusTest
class FaultRecoveryTest {

    private static final int UNITS = 8;
    private static final int BUYERS = 24;

    @Test
    void aKilledStockWorkerLosesAndDoublesNothing() throws Exception {
        burst(() -> {
            StockWorkerProcess.kill();
            sleep(1500);
            StockWorkerProcess.startProcess();
        });
    }

    @Test
    void aRabbitMqRestartLosesAndDoublesNothing() throws Exception {
        Assumptions.assumeTrue(BrokerRestarts.rabbitmqctl("status") == 0, "rabbitmqctl is not usable here");
        burst(() -> {
            assertEquals(0, BrokerRestarts.rabbitmqctl("stop_app"));
            sleep(2000);
            assertEquals(0, BrokerRestarts.rabbitmqctl("start_app"));
        });
    }

    private void burst(Runnable fault) throws Exception {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Limited bag", 9_900_000, 2, "", 1, UNITS);
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < BUYERS; i++) {
            sessions.add(newUserSession());
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<String[]>> placed = new ArrayList<>();
        for (int i = 0; i < BUYERS; i++) {
            String session = sessions.get(i);
            placed.add(pool.submit(() -> {
                io.restassured.response.Response answer = as(session)
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .body(Map.of(
                                "items", List.of(line(bag.sku(), 1, 9_900_000)), "shippingAddress", Orders.ADDRESS))
                        .post("/api/v1/orders");
                if (answer.statusCode() == 409) { // refused at once: the SKU was already known to be sold out
                    answer.then().body("type", org.hamcrest.Matchers.endsWith("/sold-out"));
                    return null;
                }
                return new String[] {
                    session, answer.then().statusCode(201).extract().jsonPath().getString("orderId")
                };
            }));
            if (i == BUYERS / 3) {
                fault.run(); // while a third of the orders are in flight and the rest still to come
            }
        }
        pool.shutdown();
        assertEquals(true, pool.awaitTermination(120, TimeUnit.SECONDS));

        List<String[]> orders = new ArrayList<>();
        int soldOut = 0;
        for (Future<String[]> f : placed) {
            String[] order = f.get();
            if (order == null) {
                soldOut++;
            } else {
                orders.add(order);
            }
        }
        Orders.awaitDrop(orders, soldOut, BUYERS, UNITS, Duration.ofSeconds(90));
        awaitStock(admin, bag.sku(), 0, UNITS);
        com.sansam.commerce.support.StockDb.assertLedgerBalanced();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
