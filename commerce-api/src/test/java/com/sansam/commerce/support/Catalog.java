package com.sansam.commerce.support;

import static com.sansam.commerce.support.Api.as;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Creates catalogue data through the admin API (initial stock reaches the real stock-worker). */
public final class Catalog {

    private Catalog() {}

    public static String uniqueBrand() {
        return "Maison-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String uniqueSku() {
        return "T-" + UUID.randomUUID().toString().substring(0, 18);
    }

    public record Created(long id, List<String> skus) {
        public String sku() {
            return skus.get(0);
        }
    }

    /** A product with one option per SKU (initial stock 3 each). */
    public static Created product(
            String admin, String brand, String name, long price, long categoryId, String description, int optionCount) {
        return product(admin, brand, name, price, categoryId, description, optionCount, 3);
    }

    /** A product with one option per SKU, each with {@code initialStock} units sent to the stock-worker. */
    public static Created product(
            String admin,
            String brand,
            String name,
            long price,
            long categoryId,
            String description,
            int optionCount,
            int initialStock) {
        List<Map<String, Object>> options = new ArrayList<>();
        List<String> skus = new ArrayList<>();
        for (int i = 0; i < optionCount; i++) {
            String sku = uniqueSku();
            skus.add(sku);
            options.add(Map.of("size", "M" + i, "color", "블랙", "sku", sku, "initialStock", initialStock));
        }
        long id = as(admin)
                .body(Map.of(
                        "name",
                        name,
                        "brand",
                        brand,
                        "categoryId",
                        categoryId,
                        "price",
                        price,
                        "description",
                        description,
                        "imageUrls",
                        List.of("https://img.example/" + name.hashCode() + ".jpg"),
                        "options",
                        options))
                .post("/api/v1/admin/products")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        // A real shop registers products long before anyone buys them: wait until the stock-worker has the stock.
        for (String sku : skus) {
            awaitAvailable(id, sku, initialStock);
        }
        return new Created(id, skus);
    }

    public static Created product(String admin, String brand, String name, long price, long categoryId) {
        return product(admin, brand, name, price, categoryId, "", 1);
    }

    /** Waits until the stock-worker's StockChanged for the SKU reached the catalogue. */
    public static void awaitAvailable(long productId, String sku, int units) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(() -> io.restassured.RestAssured.given()
                        .get("/api/v1/products/" + productId)
                        .then()
                        .body(
                                "options.find { it.sku == '" + sku + "' }.available",
                                org.hamcrest.Matchers.equalTo(units)));
    }
}
