package com.sansam.stock.inventory.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

@Entity
@Table(name = "stock_item")
public class StockItem extends PanacheEntityBase {

    @Id
    public String sku;

    /** Units that can be reserved now. */
    public int available;

    /** Units held for orders that are not paid yet. */
    public int reserved;

    @Column(name = "low_threshold")
    public int lowThreshold;

    /** LowStock was sent and available has not risen above the threshold since. */
    @Column(name = "low_alerted")
    public boolean lowAlerted;

    /** Grows with every change; carried by StockChanged so readers can drop stale events. */
    public long version;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Locks the rows in SKU order (so concurrent multi-line reservations cannot deadlock). */
    public static Uni<List<StockItem>> lockAll(Collection<String> skus) {
        return find("sku in ?1 order by sku", skus)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .list();
    }
}
