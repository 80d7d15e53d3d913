package com.sansam.contracts;

import java.util.List;

/** Events the stock-worker answers with. */
public final class StockEvents {

    private StockEvents() {
    }

    public record StockReserved(String orderId) {
    }

    public record StockRejected(String orderId, List<String> shortSkus) {
    }

    public record ReservationCommitted(String orderId) {
    }

    public record ReservationReleased(String orderId, String reason) {
    }

    public record ReservationExpired(String orderId) {
    }

    public record CommitFailed(String orderId, String reason) {
    }

    public record StockRestored(String orderId, String cancelId) {
    }

    /** {@code version} grows with every change of the SKU: apply only a newer one than you hold. */
    public record StockChanged(String sku, int available, long version) {
    }

    public record LowStock(String sku, int available, int threshold) {
    }
}
