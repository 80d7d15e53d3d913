package com.sansam.commerce.catalog.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

@Entity
@Table(name = "product")
public class Product extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    public String brand;

    @Column(name = "category_id")
    public Long categoryId;

    /** KRW, whole won. */
    public long price;

    public String description;

    @Column(name = "image_urls")
    @Convert(converter = StringListConverter.class)
    public List<String> imageUrls;

    @Enumerated(EnumType.STRING)
    public ProductStatus status = ProductStatus.ACTIVE;

    @Column(name = "rating_sum")
    public long ratingSum;

    @Column(name = "rating_count")
    public long ratingCount;

    /** Computed by the database from ratingSum / ratingCount (read-only here). */
    @Column(name = "rating_avg", insertable = false, updatable = false)
    public BigDecimal ratingAvg;

    @Column(name = "wishlist_count")
    public long wishlistCount;

    public long popularity;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;

    public boolean isActive() {
        return status == ProductStatus.ACTIVE;
    }
}
