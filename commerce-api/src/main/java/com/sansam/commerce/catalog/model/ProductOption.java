package com.sansam.commerce.catalog.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** One sellable variant of a product (a size and/or colour): a SKU whose stock the stock-worker owns. */
@Entity
@Table(name = "product_option")
public class ProductOption extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "product_id")
    public Long productId;

    public String sku;

    public String size;

    public String color;

    @Column(name = "created_at")
    public Instant createdAt;

    public static Uni<List<ProductOption>> ofProducts(Collection<Long> productIds) {
        return list("productId in ?1 order by id", productIds);
    }

    public static Uni<ProductOption> bySku(String sku) {
        return find("sku", sku).firstResult();
    }
}
