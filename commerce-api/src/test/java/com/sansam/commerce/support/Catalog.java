package com.sansam.commerce.support;

import com.sansam.contracts.Messages;
import com.sansam.contracts.StockEvents;
import com.sansam.contracts.testing.TestBroker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static com.sansam.commerce.support.Api.as;

/** Creates catalogue data through the admin API, and plays the stock-worker's StockChanged announcements. */
public final class Catalog {

    private static final AtomicLong VERSION = new AtomicLong(System.currentTimeMillis());

    private Catalog() {
    }

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
    public static Created product(String admin, String brand, String name, long price, long categoryId, String description,
                                  int optionCount) {
        List<Map<String, Object>> options = new ArrayList<>();
        List<String> skus = new ArrayList<>();
        for (int i = 0; i < optionCount; i++) {
            String sku = uniqueSku();
            skus.add(sku);
            options.add(Map.of("size", "M" + i, "color", "블랙", "sku", sku, "initialStock", 3));
        }
        long id = as(admin).body(Map.of("name", name, "brand", brand, "categoryId", categoryId, "price", price,
                        "description", description, "imageUrls", List.of("https://img.example/" + name.hashCode() + ".jpg"),
                        "options", options))
                .post("/api/v1/admin/products").then().statusCode(201).extract().jsonPath().getLong("id");
        return new Created(id, skus);
    }

    public static Created product(String admin, String brand, String name, long price, long categoryId) {
        return product(admin, brand, name, price, categoryId, "", 1);
    }

    /** Announces availability as the stock-worker would. */
    public static void announce(TestBroker broker, String sku, int available) {
        broker.publish(Messages.STOCK_EVENTS_EXCHANGE, "sku", sku,
                new StockEvents.StockChanged(sku, available, VERSION.incrementAndGet()));
    }
}
