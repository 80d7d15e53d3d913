package com.sansam.commerce.catalog.service;

import com.sansam.commerce.catalog.mapping.CatalogMapper;
import com.sansam.commerce.catalog.model.CatalogDtos.AdjustmentView;
import com.sansam.commerce.catalog.model.ProductOption;
import com.sansam.commerce.catalog.model.SkuAvailability;
import com.sansam.commerce.catalog.model.StockAdjustmentRecord;
import com.sansam.commerce.catalog.model.StockAdjustmentRecord.Outcome;
import com.sansam.messages.Messages;
import com.sansam.messages.StockCommands;
import com.sansam.messages.StockEvents;
import com.sansam.runtime.outbox.Outbox;
import com.sansam.runtime.outbox.OutboxRelay;
import com.sansam.runtime.problem.Refusal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Restocks and corrections of a SKU's stock, which lives in the stock-worker: each is recorded with its command (one
 * transaction, through the outbox) and later with the stock-worker's answer, applied or refused and why. A cut that
 * this service's own view of the stock already shows impossible is refused at once (409); the stock-worker's check
 * (on the stock it holds) stays the one that decides.
 */
@ApplicationScoped
public class StockAdjustments {

    private static final int SHOWN = 50;

    private final Outbox outbox;
    private final OutboxRelay relay;

    public StockAdjustments(Outbox outbox, OutboxRelay relay) {
        this.outbox = outbox;
        this.relay = relay;
    }

    /** An admin's restock ({@code delta > 0}) or correction ({@code delta < 0}) of a SKU; answers it as requested. */
    public Uni<AdjustmentView> request(String sku, int delta, String reason, long adminId) {
        if (delta == 0) {
            return Uni.createFrom().failure(Refusal.invalid("delta", "delta must not be 0"));
        }
        return Panache.withTransaction(() -> ProductOption.bySku(sku)
                        .onItem()
                        .ifNull()
                        .failWith(() -> Refusal.notFound("No SKU " + sku))
                        .chain(option -> SkuAvailability.of(List.of(sku)))
                        .chain(levels -> {
                            int available = levels.getOrDefault(sku, 0);
                            if (available + delta < 0) {
                                throw Refusal.conflict(
                                        "stock-too-low",
                                        "Not enough stock",
                                        "SKU " + sku + " has " + available + " units available: a cut of " + -delta
                                                + " would leave " + (available + delta),
                                        Map.of("sku", sku, "available", available, "delta", delta));
                            }
                            return record(sku, delta, reason, adminId);
                        }))
                .invoke(relay::nudge)
                .map(CatalogMapper::toView);
    }

    /** Records an adjustment and its command to the stock-worker in the caller's transaction. */
    Uni<StockAdjustmentRecord> record(String sku, int delta, String reason, Long requestedBy) {
        StockAdjustmentRecord adjustment = new StockAdjustmentRecord();
        adjustment.id = UUID.randomUUID();
        adjustment.sku = sku;
        adjustment.delta = delta;
        adjustment.reason = reason;
        adjustment.requestedBy = requestedBy;
        adjustment.requestedAt = Instant.now();
        adjustment.outcome = Outcome.REQUESTED;
        return adjustment
                .<StockAdjustmentRecord>persist()
                .call(saved -> outbox.add(
                        Messages.STOCK_COMMANDS_EXCHANGE,
                        "sku",
                        sku,
                        new StockCommands.AdjustStock(sku, delta, reason, saved.id.toString())));
    }

    public Uni<AdjustmentView> view(UUID id) {
        return Panache.withSession(() -> StockAdjustmentRecord.<StockAdjustmentRecord>findById(id))
                .onItem()
                .ifNull()
                .failWith(() -> Refusal.notFound("No stock adjustment " + id))
                .map(CatalogMapper::toView);
    }

    /** The latest adjustments of a product's SKUs, newest first. */
    public Uni<List<AdjustmentView>> ofProduct(long productId) {
        return Panache.withSession(() -> ProductOption.ofProducts(List.of(productId))
                        .chain(options -> options.isEmpty()
                                ? Uni.createFrom().item(List.<StockAdjustmentRecord>of())
                                : StockAdjustmentRecord.<StockAdjustmentRecord>find(
                                                "sku in ?1",
                                                Sort.descending("requestedAt"),
                                                options.stream().map(o -> o.sku).toList())
                                        .page(Page.ofSize(SHOWN))
                                        .list()))
                .map(adjustments ->
                        adjustments.stream().map(CatalogMapper::toView).toList());
    }

    // ---------------------------------------------------------------------------------- stock-worker answers

    /** The stock-worker applied it (in the caller's transaction; an answer without an id, or a repeat, changes nothing). */
    public Uni<Void> applied(StockEvents.StockAdjusted event) {
        return decide(event.adjustmentId(), Outcome.APPLIED, event.available(), null);
    }

    /** The stock-worker refused it by rule: nothing changed; the admin sees why. */
    public Uni<Void> refused(StockEvents.StockAdjustRefused event) {
        return decide(event.adjustmentId(), Outcome.REFUSED, event.available(), event.reason());
    }

    private static Uni<Void> decide(String adjustmentId, Outcome outcome, int available, String refusal) {
        UUID id = parse(adjustmentId);
        if (id == null) {
            return Uni.createFrom().voidItem();
        }
        return StockAdjustmentRecord.<StockAdjustmentRecord>findById(id)
                .invoke(adjustment -> {
                    if (adjustment != null && adjustment.outcome == Outcome.REQUESTED) {
                        adjustment.outcome = outcome;
                        adjustment.available = available;
                        adjustment.refusal =
                                refusal == null ? null : refusal.substring(0, Math.min(300, refusal.length()));
                        adjustment.decidedAt = Instant.now();
                    }
                })
                .replaceWithVoid();
    }

    private static UUID parse(String id) {
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }
}
