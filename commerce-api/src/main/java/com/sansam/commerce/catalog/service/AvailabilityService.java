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

    private final CatalogCache cache;

    public AvailabilityService(CatalogCache cache) {
        this.cache = cache;
    }

    /**
     * Applies the event when it is newer than what is held (events may repeat or overtake each other). Answers the
     * product whose option came back from zero (for "back in stock" notices), else null.
     */
    public Uni<Product> stockChanged(StockEvents.StockChanged event) {
        return SkuAvailability.<SkuAvailability>findById(event.sku()).chain(current -> {
            if (current != null && current.version >= event.version()) {
                return Uni.createFrom().nullItem();
            }
            boolean backInStock = current != null && current.available == 0 && event.available() > 0;
            SkuAvailability row = current == null ? new SkuAvailability() : current;
            row.sku = event.sku();
            row.available = event.available();
            row.version = event.version();
            row.updatedAt = Instant.now();
            return row.persist()
                    .chain(() -> ProductOption.bySku(event.sku()))
                    .call(option -> option == null ? Uni.createFrom().voidItem() : cache.productChanged(option.productId))
                    .chain(option -> option == null || !backInStock ? Uni.createFrom().<Product>nullItem()
                            : Product.<Product>findById(option.productId));
        });
    }
}
