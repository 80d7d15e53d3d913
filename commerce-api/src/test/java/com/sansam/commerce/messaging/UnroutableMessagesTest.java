package com.sansam.commerce.messaging;

import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.StockWorkerProcess;
import com.sansam.runtime.testing.BrokerRestarts;
import com.sansam.runtime.testing.TestBroker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A command published while its queue does not exist (a first deploy where commerce-api starts before the
 * stock-worker, a replaced broker) is not lost: the broker returns it, the outbox row stays unsent, the relay
 * declares the topology again and publishes it, and the stock-worker applies it once it runs.
 */
@QuarkusTest
class UnroutableMessagesTest {

    @Test
    void stockForAQueueThatDoesNotExistYetArrivesOnceTheWorkerRuns() throws Exception {
        String admin = adminSession();
        // commerce-api has published stock commands before (its broker connection knows the topology)...
        Catalog.product(admin, Catalog.uniqueBrand(), "Earlier bag", 900_000, 2);
        double returnedBefore = unroutableCount();
        StockWorkerProcess.kill();
        try {
            try (TestBroker broker = new TestBroker()) {
                // ...when the queues go (a replaced broker)
                com.sansam.runtime.broker.Topology.route(com.sansam.messages.Messages.STOCK_COMMANDS_EXCHANGE)
                        .queues()
                        .forEach(broker::deleteQueue);
            }
            String sku = Catalog.uniqueSku();
            long productId = as(admin)
                    .body(Map.of(
                            "name",
                            "First-deploy bag",
                            "brand",
                            Catalog.uniqueBrand(),
                            "categoryId",
                            2,
                            "price",
                            1_200_000,
                            "description",
                            "",
                            "imageUrls",
                            List.of(),
                            "options",
                            List.of(Map.of("size", "M", "color", "블랙", "sku", sku, "initialStock", 7))))
                    .post("/api/v1/admin/products")
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath()
                    .getLong("id");

            // Returned by the broker (no queue took it), counted, then published again once the topology is back.
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() ->
                            assertTrue(unroutableCount() > returnedBefore, "returned messages counted in the metric"));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                int[] row = adjustStockRow(sku);
                assertEquals(1, row[0], "the AdjustStock row is sent");
                assertTrue(row[1] >= 2, "it took more than one attempt: " + row[1]);
            });

            StockWorkerProcess.startProcess();
            Catalog.awaitAvailable(productId, sku, 7);
        } finally {
            StockWorkerProcess.startProcess();
        }
    }

    /** [sent ? 1 : 0, attempts] of the SKU's AdjustStock outbox row. */
    private static int[] adjustStockRow(String sku) throws Exception {
        try (Connection connection = BrokerRestarts.database();
                PreparedStatement query = connection.prepareStatement(
                        "select sent_at is not null, attempts from outbox where routing_key = 'AdjustStock' and aggregate_id = ?")) {
            query.setString(1, sku);
            try (ResultSet rows = query.executeQuery()) {
                assertTrue(rows.next(), "an AdjustStock outbox row for " + sku);
                return new int[] {rows.getBoolean(1) ? 1 : 0, rows.getInt(2)};
            }
        }
    }

    private static double unroutableCount() {
        String metrics = RestAssured.given()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return metrics.lines()
                .filter(line ->
                        line.startsWith("sansam_outbox_unroutable_total") && line.contains("sansam.stock.commands"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
