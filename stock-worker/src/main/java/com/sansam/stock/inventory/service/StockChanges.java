package com.sansam.stock.inventory.service;

import com.sansam.messages.Messages;
import com.sansam.messages.StockCommands;
import com.sansam.messages.StockEvents;
import com.sansam.runtime.inbox.PermanentFailure;
import com.sansam.runtime.outbox.Outbox;
import com.sansam.stock.inventory.model.StockItem;
import com.sansam.stock.inventory.model.StockMovement;
import com.sansam.stock.inventory.model.StockMovement.Kind;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What every stock rule shares: the changes of one transaction ({@link #flush}: the ledger, one StockChanged per SKU
 * touched, LowStock where a SKU fell to its threshold) and the events a change announces. Package-private: the rules
 * are {@link StockService} (one order's reservation), {@link ReservationBatch} (many reservations at once) and
 * {@link DealPools} (the units set aside for deals).
 */
final class StockChanges {

    private final Outbox outbox;
    private final List<StockMovement> movements = new ArrayList<>();
    private final Map<String, StockItem> touched = new LinkedHashMap<>();
    private final Map<String, Integer> availableBefore = new LinkedHashMap<>();

    StockChanges(Outbox outbox) {
        this.outbox = outbox;
    }

    void apply(StockItem item, Kind kind, int availableDelta, int reservedDelta, String orderId, String reason) {
        availableBefore.putIfAbsent(item.sku, item.available);
        item.available += availableDelta;
        item.reserved += reservedDelta;
        if (item.available < 0 || item.reserved < 0) {
            throw new IllegalStateException("Stock of " + item.sku + " would go negative"); // guarded by callers
        }
        item.updatedAt = Instant.now();
        touched.put(item.sku, item);
        StockMovement movement = new StockMovement();
        movement.sku = item.sku;
        movement.kind = kind;
        movement.availableDelta = availableDelta;
        movement.reservedDelta = reservedDelta;
        movement.orderId = orderId;
        movement.reason = reason;
        movement.at = item.updatedAt;
        movements.add(movement);
    }

    /** Moves available units from one row to another (a SKU and a deal's pool). */
    void move(StockItem from, StockItem to, int units, Kind kind, String orderId, String reason) {
        apply(from, kind, -units, 0, orderId, reason);
        apply(to, kind, units, 0, orderId, reason);
    }

    Uni<Void> flush() {
        List<Outbox.Pending> events = new ArrayList<>();
        touched.values().forEach(item -> {
            if (item.available == availableBefore.get(item.sku)) {
                return; // reserved moved only: availability unchanged
            }
            item.version++;
            item.lowAlerted = announce(
                    item.sku,
                    availableBefore.get(item.sku),
                    item.available,
                    item.version,
                    item.lowThreshold,
                    item.lowAlerted,
                    events);
        });
        // An empty list is normal (a deal closed with nothing left in its pools): Panache refuses to persist one.
        Uni<Void> ledger = movements.isEmpty() ? Uni.createFrom().voidItem() : StockMovement.persist(movements);
        return ledger.chain(() -> Multi.createFrom()
                        .iterable(events)
                        .onItem()
                        .transformToUniAndConcatenate(
                                e -> outbox.add(e.exchange(), e.aggregateType(), e.aggregateId(), e.payload()))
                        .collect()
                        .last())
                .replaceWithVoid();
    }

    static Outbox.Pending pendingOrderEvent(String orderId, Object event) {
        return new Outbox.Pending(Messages.STOCK_EVENTS_EXCHANGE, "order", orderId, event);
    }

    /**
     * What a transaction that moved a SKU's availability from {@code before} to {@code after} announces: StockChanged
     * with the new version and, when it fell to its threshold, one LowStock (not again until it was above the
     * threshold). Adds them to {@code events}; answers the SKU's low-stock flag afterwards. (A reservation batch
     * folds its StockChanged into each order's StockReserved instead: {@link ReservationBatch}.)
     */
    static boolean announce(
            String sku,
            int before,
            int after,
            long version,
            int threshold,
            boolean alerted,
            List<Outbox.Pending> events) {
        if (StockCommands.isPool(sku)) {
            return false; // a deal's pool is not for sale on its own: the deal tells its buyers what is left
        }
        events.add(pendingSkuEvent(sku, new StockEvents.StockChanged(sku, after, version)));
        return lowStock(sku, before, after, threshold, alerted, events);
    }

    /**
     * The LowStock a change from {@code before} to {@code after} announces when it fell to the SKU's threshold (once,
     * until it was above it again; never for a deal's pool); answers the SKU's low-stock flag afterwards.
     */
    static boolean lowStock(
            String sku, int before, int after, int threshold, boolean alerted, List<Outbox.Pending> events) {
        if (StockCommands.isPool(sku)) {
            return false;
        }
        if (after <= threshold && !alerted && after < before) {
            events.add(pendingSkuEvent(sku, new StockEvents.LowStock(sku, after, threshold)));
            return true;
        }
        return after <= threshold && alerted;
    }

    static Outbox.Pending pendingSkuEvent(String sku, Object event) {
        return new Outbox.Pending(Messages.STOCK_EVENTS_EXCHANGE, "sku", sku, event);
    }

    static Map<String, StockItem> index(List<StockItem> items) {
        return items.stream().collect(Collectors.toMap(i -> i.sku, Function.identity()));
    }

    /** Sums quantities per SKU, sorted by SKU; refuses empty orders and non-positive quantities. */
    static Map<String, Integer> merge(List<StockCommands.Line> lines) {
        if (lines == null || lines.isEmpty()) {
            throw new PermanentFailure("A stock command needs at least one line");
        }
        Map<String, Integer> merged = new TreeMap<>();
        for (StockCommands.Line line : lines) {
            if (line.sku() == null || line.qty() <= 0) {
                throw new PermanentFailure("Bad line " + line);
            }
            merged.merge(line.sku(), line.qty(), Integer::sum);
        }
        return merged;
    }
}
