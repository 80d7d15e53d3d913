package com.sansam.commerce.catalog.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/** Available units of a SKU as last announced by the stock-worker (StockChanged); never read from its tables. */
@Entity
@Table(name = "sku_availability")
public class SkuAvailability extends PanacheEntityBase {

    @Id
    public String sku;

    public int available;

    public long version;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Units per SKU; a SKU not announced yet counts as 0. */
    public static Uni<Map<String, Integer>> of(Collection<String> skus) {
        if (skus.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return SkuAvailability.<SkuAvailability>list("sku in ?1", skus)
                .map(rows -> rows.stream().collect(Collectors.toMap(r -> r.sku, r -> r.available)));
    }
}
