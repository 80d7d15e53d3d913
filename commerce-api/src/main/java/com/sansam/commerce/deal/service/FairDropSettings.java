package com.sansam.commerce.deal.service;

import com.sansam.commerce.deal.model.Deal;
import com.sansam.commerce.deal.model.DealDtos.CreateDeal;
import com.sansam.commerce.deal.model.DealDtos.PatchDeal;
import com.sansam.commerce.deal.model.DealMode;
import com.sansam.runtime.problem.Refusal;
import java.time.Duration;
import java.time.Instant;

/** The settings of a waiting room or a draw: what an admin may give for each mode, its bounds and defaults. */
final class FairDropSettings {

    static final Duration DEFAULT_PASS_TTL = Duration.ofMinutes(2);
    static final Duration DEFAULT_QUEUE_LEAD = Duration.ofMinutes(30);
    static final Duration DEFAULT_PAY_WITHIN = Duration.ofHours(1);

    private FairDropSettings() {}

    static void refuseBadSettings(CreateDeal request, Instant now) {
        DealMode mode = request.modeOrOpen();
        if (mode != DealMode.QUEUE) {
            refuseGiven("ratePerSecond", request.ratePerSecond(), mode);
            refuseGiven("passTtl", request.passTtl(), mode);
            refuseGiven("queueOpensBefore", request.queueOpensBefore(), mode);
        }
        if (mode != DealMode.DRAW) {
            refuseGiven("entriesOpenAt", request.entriesOpenAt(), mode);
            refuseGiven("entriesCloseAt", request.entriesCloseAt(), mode);
            refuseGiven("payWithin", request.payWithin(), mode);
        }
        if (mode == DealMode.QUEUE) {
            if (request.ratePerSecond() == null) {
                throw Refusal.invalid("ratePerSecond", "A QUEUE deal needs ratePerSecond (buyers let in per second)");
            }
            refuseOutside("passTtl", request.passTtl(), Duration.ofSeconds(10), Duration.ofHours(1));
            refuseOutside("queueOpensBefore", request.queueOpensBefore(), Duration.ZERO, Duration.ofDays(1));
        }
        if (mode == DealMode.DRAW) {
            if (request.entriesOpenAt() == null || request.entriesCloseAt() == null) {
                throw Refusal.invalid(
                        request.entriesOpenAt() == null ? "entriesOpenAt" : "entriesCloseAt",
                        "A DRAW deal needs entriesOpenAt and entriesCloseAt");
            }
            if (!request.entriesCloseAt().isAfter(request.entriesOpenAt())) {
                throw Refusal.invalid("entriesCloseAt", "entriesCloseAt must be after entriesOpenAt");
            }
            if (!request.entriesCloseAt().isAfter(now)) {
                throw Refusal.invalid("entriesCloseAt", "entriesCloseAt must be in the future");
            }
            if (!request.endsAt().isAfter(request.entriesCloseAt())) {
                throw Refusal.invalid(
                        "endsAt", "A draw deal ends after its entries close (its winners buy in between)");
            }
            refuseOutside("payWithin", request.payWithin(), Duration.ofMinutes(1), Duration.ofDays(7));
        }
    }

    static void apply(CreateDeal request, Deal deal, DrawSeal seal) {
        deal.mode = request.modeOrOpen();
        if (deal.mode == DealMode.QUEUE) {
            deal.ratePerSecond = request.ratePerSecond();
            deal.passTtlSeconds = seconds(request.passTtl(), DEFAULT_PASS_TTL);
            deal.queueOpensBeforeSeconds = seconds(request.queueOpensBefore(), DEFAULT_QUEUE_LEAD);
        }
        if (deal.mode == DealMode.DRAW) {
            deal.entriesOpenAt = request.entriesOpenAt();
            deal.entriesCloseAt = request.entriesCloseAt();
            deal.payWithinSeconds = seconds(request.payWithin(), DEFAULT_PAY_WITHIN);
            DrawSeal.Sealed seed = seal.newSeed();
            deal.drawCommitment = seed.commitment();
            deal.drawSeedSealed = seed.sealed();
        }
    }

    /** A patch before the start: a waiting room's rate, pass and lead; a draw's time to pay (its seed never). */
    static void patch(Deal deal, PatchDeal patch) {
        if (deal.mode != DealMode.QUEUE) {
            refuseGiven("ratePerSecond", patch.ratePerSecond(), deal.mode);
            refuseGiven("passTtl", patch.passTtl(), deal.mode);
            refuseGiven("queueOpensBefore", patch.queueOpensBefore(), deal.mode);
        }
        if (deal.mode != DealMode.DRAW) {
            refuseGiven("payWithin", patch.payWithin(), deal.mode);
        }
        refuseOutside("passTtl", patch.passTtl(), Duration.ofSeconds(10), Duration.ofHours(1));
        refuseOutside("queueOpensBefore", patch.queueOpensBefore(), Duration.ZERO, Duration.ofDays(1));
        refuseOutside("payWithin", patch.payWithin(), Duration.ofMinutes(1), Duration.ofDays(7));
        if (patch.ratePerSecond() != null) {
            deal.ratePerSecond = patch.ratePerSecond();
        }
        if (patch.passTtl() != null) {
            deal.passTtlSeconds = (int) patch.passTtl().toSeconds();
        }
        if (patch.queueOpensBefore() != null) {
            deal.queueOpensBeforeSeconds = (int) patch.queueOpensBefore().toSeconds();
        }
        if (patch.payWithin() != null) {
            deal.payWithinSeconds = (int) patch.payWithin().toSeconds();
        }
    }

    private static void refuseGiven(String field, Object value, DealMode mode) {
        if (value != null) {
            throw Refusal.invalid(field, field + " is not a setting of a " + mode + " deal");
        }
    }

    private static void refuseOutside(String field, Duration value, Duration min, Duration max) {
        if (value != null && (value.compareTo(min) < 0 || value.compareTo(max) > 0)) {
            throw Refusal.invalid(field, field + " must be between " + min + " and " + max);
        }
    }

    private static int seconds(Duration given, Duration fallback) {
        return (int) (given == null ? fallback : given).toSeconds();
    }
}
