package com.sansam.commerce.cart.model;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

public final class CartDtos {

    private CartDtos() {}

    public record AddItem(
            @NotBlank @Size(max = 64) String sku,
            @NotNull @Min(1) @Max(10) Integer quantity) {}

    public record ChangeQuantity(@NotNull @Min(1) @Max(10) Integer quantity) {}

    /**
     * A cart line at today's price. {@code retired} or {@code outOfStock} lines cannot be ordered and do not
     * count towards the total.
     */
    public record CartLine(
            long itemId,
            String sku,
            long productId,
            String name,
            String brand,
            String size,
            String color,
            String imageUrl,
            long unitPrice,
            int quantity,
            long lineTotal,
            int available,
            boolean retired,
            boolean outOfStock) {}

    public record Cart(List<CartLine> lines, long total, int orderableLines) {}
}
