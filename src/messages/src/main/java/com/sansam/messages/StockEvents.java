package com.sansam.messages;

import java.util.List;

/** Events the stock-worker answers with. */
public final class StockEvents {

    private StockEvents() {}

    public record StockReserved(String orderId) {}

    public record StockRejected(String orderId, List<String> shortSkus) {}

    public record ReservationCommitted(String orderId) {}

    public record ReservationReleased(String orderId, String reason) {}

    public record ReservationExpired(String orderId) {}

    public record CommitFailed(String orderId, String reason) {}

    public record StockRestored(String orderId, String cancelId) {}

    /**
     * {@code version} grows with every change of the SKU: apply only a newer one than you hold. {@code reservedFor}
     * names the orders whose reservations this change took (empty for any other change; absent from older
     * senders), so a reader that counts units held by orders still being decided can stop counting exactly those.
     */
    public record StockChanged(String sku, int available, long version, List<String> reservedFor) {

        public StockChanged {
            reservedFor = reservedFor == null ? List.of() : List.copyOf(reservedFor);
        }

        public StockChanged(String sku, int available, long version) {
            this(sku, available, version, List.of());
        }
    }

    public record LowStock(String sku, int available, int threshold) {}

    /** A deal's pools hold the revision's quantities now. */
    public record DealStockSetAside(long dealId, long revision, List<StockCommands.Line> lines) {}

    /** The revision was refused as a whole: {@code sku} had only {@code available} units to set aside. */
    public record DealStockRefused(long dealId, long revision, String sku, int available) {}

    /** A deal was closed: {@code returned} units of each SKU went back to regular stock. */
    public record DealClosed(long dealId, List<StockCommands.Line> returned) {}

    /** An AdjustStock was applied: the SKU has {@code available} units now. */
    public record StockAdjusted(String adjustmentId, String sku, int delta, int available) {}

    /**
     * An AdjustStock was refused by a rule (it would leave fewer than zero units available: {@code available} is what
     * the SKU had), and changed nothing. A business answer, not a failure: the admin sees it beside the adjustment.
     */
    public record StockAdjustRefused(String adjustmentId, String sku, int delta, int available, String reason) {}
}
