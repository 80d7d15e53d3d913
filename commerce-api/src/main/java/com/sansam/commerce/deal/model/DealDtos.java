package com.sansam.commerce.deal.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Duration;
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
            @NotBlank @Size(max = 100) String title,
            DealMode mode,
            @Min(1) @Max(10_000) Integer ratePerSecond,
            Duration passTtl,
            Duration queueOpensBefore,
            Instant entriesOpenAt,
            Instant entriesCloseAt,
            Duration payWithin) {

        /** OPEN unless given. */
        public DealMode modeOrOpen() {
            return mode == null ? DealMode.OPEN : mode;
        }
    }

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
            @Size(max = 20) List<@NotNull @Valid LinePatch> lines,
            @Min(1) @Max(10_000) Integer ratePerSecond,
            Duration passTtl,
            Duration queueOpensBefore,
            Duration payWithin) {}

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
            List<LineView> lines,
            DealMode mode,
            QueueInfo queue,
            DrawInfo draw) {}

    /** A waiting room's settings, as shoppers see them (null for other modes). */
    public record QueueInfo(int ratePerSecond, long passTtlSeconds, Instant opensAt, int waiting) {}

    /** A draw's window and its commitment (the SHA-256 of the seed revealed once drawn). */
    public record DrawInfo(
            Instant entriesOpenAt,
            Instant entriesCloseAt,
            long payWithinSeconds,
            String commitment,
            int entries,
            Instant drawnAt) {}

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
    public record SetAsideRefusal(String sku, int available, Instant at) {}

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
            SetAsideRefusal refusal,
            Instant endedAt,
            String endReason,
            Instant createdAt,
            List<AdminLineView> lines,
            DealMode mode,
            QueueInfo queue,
            DrawInfo draw,
            FairDropStats stats) {}

    /**
     * What a queue or a draw did: queued (joined), admitted (passes given), passes used (orders placed) and passes
     * live; entries, winners (units offered), paid orders.
     */
    public record FairDropStats(
            int queued, int admitted, int passesUsed, int passesLive, int entries, int winners, int paid) {}

    /**
     * A buyer's place in a deal's waiting room. {@code state}: {@code not-joined}; {@code pre-queue} (joined before the
     * start: places are shuffled at the start, {@code waiting} counts the pre-queue); {@code waiting} ({@code place},
     * {@code ahead}, {@code estimatedWaitSeconds}); {@code sold-out} (nothing left now; the place is kept in case a
     * unit comes back); {@code your-turn} (a pass until {@code passExpiresAt}); {@code ordered} (the pass placed an
     * order); {@code pass-expired}; {@code ended}.
     */
    public record QueuePlace(
            long dealId,
            String state,
            Integer place,
            Integer ahead,
            Long estimatedWaitSeconds,
            Instant passExpiresAt,
            int waiting,
            Instant startsAt) {}

    /** An entry in a draw: the SKU (size, colour) the buyer wants. */
    public record EnterDraw(@NotBlank @Size(max = 64) String sku) {}

    /**
     * A buyer's entry. {@code state}: {@code not-entered}, {@code entered} (before the draw), {@code won} (an order
     * waits for payment: {@code orderId}, {@code payBy}; {@code orderId} is null for the moment it is being made),
     * {@code in-line} (not drawn: {@code ahead} entrants for the SKU are before the buyer should units come back),
     * {@code not-selected} (the deal ended without a unit for the buyer).
     */
    public record DrawEntry(
            long dealId,
            String state,
            String ticket,
            String sku,
            Instant enteredAt,
            Integer rank,
            Integer ahead,
            String orderId,
            Instant payBy) {}

    /** One entrant in the drawn order: the public ticket and the SKU entered for, and whether a unit was offered. */
    public record DrawnEntrant(int rank, String ticket, String sku, boolean offered) {}

    /**
     * The draw's proof: the commitment published before entries opened, the seed revealed at the draw, the units per
     * SKU and every entrant in the drawn order; {@code rule} says how anyone recomputes the order and the winners.
     */
    public record DrawProof(
            long dealId,
            String commitment,
            Instant entriesOpenAt,
            Instant entriesCloseAt,
            int entries,
            Instant drawnAt,
            String seed,
            String rule,
            List<SkuUnits> units,
            List<DrawnEntrant> order) {}

    public record SkuUnits(String sku, int units) {}

    /** One event of a deal's stream: what is left, in all and per SKU. */
    public record Remaining(long dealId, String state, int remaining, List<SkuRemaining> lines) {}

    public record SkuRemaining(String sku, int remaining) {}
}
