package com.sansam.contracts;

import java.time.Instant;
import java.util.List;

/** Commands that commerce-api sends to the stock-worker. Aggregate: the order id, or the SKU for adjustments. */
public final class StockCommands {

    private StockCommands() {
    }

    public record Line(String sku, int qty) {
    }

    public record ReserveStock(String orderId, List<Line> lines, Instant expiresAt) {
    }

    public record CommitReservation(String orderId) {
    }

    public record ReleaseReservation(String orderId, String reason) {
    }

    /** Puts back stock of a paid order that was (partly) cancelled; {@code cancelId} makes each restore distinct. */
    public record RestoreStock(String orderId, String cancelId, List<Line> lines) {
    }

    public record AdjustStock(String sku, int delta, String reason) {
    }
}
