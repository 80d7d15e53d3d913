package com.sansam.commerce.deal.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

public final class DealDtos {

    private DealDtos() {}

    public record LineRequest(
            @NotBlank @Size(max = 64) String sku,
            @NotNull @Positive Long dealPrice,
            @NotNull @Min(1) @Max(10_000) Integer quantity) {}

    public record CreateDeal(
            @NotNull @Positive Long productId,
            @NotNull @Size(min = 1, max = 20) List<@NotNull @Valid LineRequest> lines,
            @NotNull @Min(1) @Max(100) Integer perBuyerLimit,
            @NotNull Instant startsAt,
            @NotNull Instant endsAt,
            @NotBlank @Size(max = 100) String title) {}

    /** Any of the fields; a line names one of the deal's SKUs and changes its price and/or quantity. */
    public record LinePatch(
            @NotBlank @Size(max = 64) String sku,
            @Positive Long dealPrice,
            @Min(1) @Max(10_000) Integer quantity) {}

    public record PatchDeal(
            @Size(min = 1, max = 100) String title,
            @Min(1) @Max(100) Integer perBuyerLimit,
            Instant startsAt,
            Instant endsAt,
            @Size(max = 20) List<@NotNull @Valid LinePatch> lines) {}

    /** A deal line as shoppers see it: the deal price beside the regular one, and how many are left. */
    public record LineView(
            String sku, String optionLabel, long dealPrice, long regularPrice, int quantity, int remaining) {}

    public record DealView(
            long id,
            String title,
            long productId,
            String productName,
            String brand,
            String imageUrl,
            String state,
            Instant startsAt,
            Instant endsAt,
            int perBuyerLimit,
            int remaining,
            List<LineView> lines) {}

    public record AdminLineView(
            String sku,
            String optionLabel,
            long dealPrice,
            long regularPrice,
            int quantity,
            int requestedQuantity,
            int remaining,
            Integer returned) {}

    /** Why the stock-worker refused the last set-aside: the SKU and the units it could have given. */
    public record Refusal(String sku, int available, Instant at) {}

    public record AdminDealView(
            long id,
            String title,
            long productId,
            String productName,
            DealStatus status,
            String state,
            Instant startsAt,
            Instant endsAt,
            int perBuyerLimit,
            long revision,
            long confirmedRevision,
            Refusal refusal,
            Instant endedAt,
            String endReason,
            Instant createdAt,
            List<AdminLineView> lines) {}

    /** One event of a deal's stream: what is left, in all and per SKU. */
    public record Remaining(long dealId, String state, int remaining, List<SkuRemaining> lines) {}

    public record SkuRemaining(String sku, int remaining) {}
}
