package com.sansam.commerce.catalog.service;

import com.sansam.commerce.catalog.model.Product;
import com.sansam.commerce.catalog.model.ProductOption;
import com.sansam.commerce.catalog.model.SkuAvailability;
import com.sansam.contracts.StockEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** Keeps the catalogue's availability view in step with the stock-worker's StockChanged events. */
@ApplicationScoped
public class AvailabilityService {

    /** What an applied event changed: the product whose option it is (null: unknown SKU), and whether it came back. */
    public record Change(Long productId, Product backInStock) {
        static final Change NONE = new Change(null, null);
    }

    /**
     * Applies the event when it is newer than what is held (events may repeat or overtake each other). Runs inside
     * the caller's transaction; the caller evicts the product's cache entries after the commit.
     */
    public Uni<Change> stockChanged(StockEvents.StockChanged event) {
        return SkuAvailability.<SkuAvailability>findById(event.sku()).chain(current -> {
            if (current != null && current.version >= event.version()) {
                return Uni.createFrom().item(Change.NONE);
            }
            boolean backInStock = current != null && current.available == 0 && event.available() > 0;
            SkuAvailability row = current == null ? new SkuAvailability() : current;
            row.sku = event.sku();
            row.available = event.available();
            row.version = event.version();
            row.updatedAt = Instant.now();
            return row.persist()
                    .chain(() -> ProductOption.bySku(event.sku()))
                    .chain(option -> {
                        if (option == null) {
                            return Uni.createFrom().item(Change.NONE);
                        }
                        return (backInStock ? Product.<Product>findById(option.productId) : Uni.createFrom().<Product>nullItem())
                                .map(product -> new Change(option.productId, product));
                    });
        });
    }
}
