package com.sansam.messages;

import java.util.List;

/** Events the stock-worker answers with. */
public final class StockEvents {

    private StockEvents() {}

    /**
     * The order's units are held. {@code levels}: what its reservation left of each SKU it named (a deal's pools
     * aside), with the version that change gave the SKU: the reservation's StockChanged, folded into this event, so an
     * order costs one message the fewer (empty from older senders, which send that StockChanged on its own).
     */
    public record StockReserved(String orderId, List<SkuLevel> levels) {

        public StockReserved {
            levels = levels == null ? List.of() : List.copyOf(levels);
        }

        public StockReserved(String orderId) {
            this(orderId, List.of());
        }

        /** Each level as the StockChanged it stands for: it names this order as the one it reserved for. */
        public List<StockChanged> changes() {
            return levels.stream()
                    .map(level -> new StockChanged(level.sku(), level.available(), level.version(), List.of(orderId)))
                    .toList();
        }
    }

    /** A SKU's availability after a change, and the version that change gave it. */
    public record SkuLevel(String sku, int available, long version) {}

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
