package com.sansam.commerce.order.model;

import com.sansam.commerce.account.model.AccountDtos.AddressDto;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;

public final class OrderDtos {

    private OrderDtos() {}

    /** A line with the unit price the shopper saw; {@code dealId} buys it from a time deal, at the deal price. */
    public record ItemRequest(
            @NotBlank @Size(max = 64) String sku,
            @NotNull @Min(1) @Max(10) Integer quantity,
            @NotNull @Positive Long price,
            @Positive Long dealId) {

        public ItemRequest(String sku, Integer quantity, Long price) {
            this(sku, quantity, price, null);
        }
    }

    /**
     * Either {@code items}, or {@code fromCart: true} with {@code cartPrices} (SKU → unit price the shopper saw
     * for each cart line). {@code shippingAddress} defaults to the profile's.
     */
    public record CreateOrder(
            @Size(max = 50) List<@NotNull @Valid ItemRequest> items,
            Boolean fromCart,
            @Size(max = 50) Map<@NotBlank String, @NotNull @Positive Long> cartPrices,
            @Valid AddressDto shippingAddress) {}

    public record PaymentRequest(
            @NotBlank @Size(max = 200) String paymentKey,
            @NotNull @Positive Long amount) {}

    public record CancelLine(
            @NotBlank @Size(max = 64) String sku,
            @NotNull @Min(1) @Max(10) Integer quantity) {}

    public record CancelRequest(
            @NotBlank @Size(max = 200) String reason,
            @Size(max = 50) List<@NotNull @Valid CancelLine> lines) {}

    public record LineView(
            String sku,
            long productId,
            String productName,
            String optionLabel,
            long unitPrice,
            int quantity,
            int cancelledQuantity) {}

    public record OrderView(
            String orderId,
            String orderName,
            long amount,
            long cancelledAmount,
            OrderStatus status,
            List<LineView> lines,
            AddressDto shippingAddress,
            Instant createdAt,
            Instant expiresAt,
            Instant paidAt,
            Long dealId) {}

    public record OrderPage(List<OrderView> items, String nextCursor) {}

    public record StatusView(String orderId, OrderStatus status) {}
}
