package com.sansam.commerce.catalog.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Request and answer bodies of the catalogue routes. */
public final class CatalogDtos {

    private CatalogDtos() {}

    static final String SKU = "^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$";
    static final String URL = "^https?://\\S{1,490}$";
    static final long MAX_PRICE = 10_000_000_000L;

    public record OptionRequest(
            @Size(max = 30) String size,
            @Size(max = 30) String color,

            @NotBlank @Pattern(regexp = SKU, message = "must be 3-64 letters, digits, - or _")
            String sku,

            @NotNull @PositiveOrZero @Max(100_000) Integer initialStock) {}

    public record ProductRequest(
            @NotBlank @Size(max = 120) String name,
            @NotBlank @Size(max = 60) String brand,
            @NotNull Long categoryId,
            @NotNull @Positive @Max(MAX_PRICE) Long price,
            @Size(max = 5000) String description,
            @Size(max = 10) List<@NotBlank @Pattern(regexp = URL, message = "must be an http(s) URL") String> imageUrls,
            @NotEmpty @Size(max = 50) List<@NotNull @Valid OptionRequest> options) {}

    /** Only the fields present change; {@code addOptions} adds SKUs (with their initial stock). */
    public record ProductPatch(
            @Size(min = 1, max = 120) String name,
            @Size(min = 1, max = 60) String brand,
            Long categoryId,
            @Positive @Max(MAX_PRICE) Long price,
            @Size(max = 5000) String description,
            @Size(max = 10) List<@NotBlank @Pattern(regexp = URL, message = "must be an http(s) URL") String> imageUrls,
            @Size(max = 50) List<@NotNull @Valid OptionRequest> addOptions) {}

    public record StockAdjustment(
            @NotNull @jakarta.validation.constraints.Min(-100_000) @Max(100_000)
            Integer delta,

            @NotBlank @Size(max = 200) String reason) {}

    /**
     * A restock or correction and the stock-worker's answer: {@code outcome} REQUESTED (not answered yet), APPLIED
     * ({@code available} after it) or REFUSED ({@code available} when refused, and the {@code refusal}).
     */
    public record AdjustmentView(
            java.util.UUID id,
            String sku,
            int delta,
            String reason,
            String outcome,
            Integer available,
            String refusal,
            java.time.Instant requestedAt,
            java.time.Instant decidedAt) {}

    public record OptionView(String sku, String size, String color, int available, boolean inStock) {}

    public record ProductSummary(
            long id,
            String name,
            String brand,
            long categoryId,
            long price,
            String imageUrl,
            BigDecimal ratingAvg,
            long ratingCount,
            long wishlistCount,
            boolean inStock) {}

    public record ProductPage(List<ProductSummary> items, String nextCursor) {}

    public record CategoryRef(long id, String name, String slug) {}

    public record ProductDetail(
            long id,
            String name,
            String brand,
            CategoryRef category,
            long price,
            String description,
            List<String> imageUrls,
            List<OptionView> options,
            BigDecimal ratingAvg,
            long ratingCount,
            long wishlistCount,
            ProductStatus status,
            Instant createdAt) {}

    public record CategoryNode(long id, String name, String slug, List<CategoryNode> children) {}
}
