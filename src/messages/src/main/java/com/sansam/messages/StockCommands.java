package com.sansam.messages;

import java.time.Instant;
import java.util.List;

/**
 * Commands that commerce-api sends to the stock-worker. Aggregate: the order id, the SKU for adjustments, and the deal
 * id for a deal's set-aside and close <em>and</em> for every command of a deal's orders (so the stock-worker applies
 * them in the order the deal decided them: a unit given back to a deal is back in its pool before the next buyer's
 * reservation takes it, and no reservation of a deal arrives after its close).
 */
public final class StockCommands {

    private StockCommands() {}

    public record Line(String sku, int qty) {}

    public record ReserveStock(String orderId, List<Line> lines, Instant expiresAt) {}

    public record CommitReservation(String orderId) {}

    public record ReleaseReservation(String orderId, String reason) {}

    /** Puts back stock of a paid order that was (partly) cancelled; {@code cancelId} makes each restore distinct. */
    public record RestoreStock(String orderId, String cancelId, List<Line> lines) {}

    /**
     * An admin's restock or correction (or a new SKU's initial stock). The stock-worker answers {@code adjustmentId}
     * with StockAdjusted or StockAdjustRefused (a cut below what is available is refused, not dead-lettered).
     * {@code adjustmentId} is absent from older senders: such a command is answered all the same, without it.
     */
    public record AdjustStock(String sku, int delta, String reason, String adjustmentId) {

        public AdjustStock(String sku, int delta, String reason) {
            this(sku, delta, reason, null);
        }
    }

    /**
     * Sets aside a deal's units from each SKU's regular stock: afterwards the deal's pool of each SKU holds exactly
     * the line's {@code qty} (units move between the SKU and the pool as needed), all lines or none. A revision not
     * newer than the last one applied changes nothing.
     */
    public record SetAsideDealStock(long dealId, long revision, List<Line> lines) {}

    /** Ends a deal: every unit left in its pools goes back to regular stock, once; later give-backs go there too. */
    public record CloseDeal(long dealId, String reason) {}

    /** The aggregate type of a deal's commands and of its orders' (the aggregate id is the deal id). */
    public static final String DEAL_AGGREGATE = "deal";

    private static final String POOL_PREFIX = "deal:";

    /** The stock item holding a deal's units of a SKU: orders of the deal reserve from it. */
    public static String poolSku(long dealId, String sku) {
        return POOL_PREFIX + dealId + ":" + sku;
    }

    public static boolean isPool(String sku) {
        return sku.startsWith(POOL_PREFIX);
    }

    /** The regular SKU of a pool ({@code deal:7:BAG-1} → {@code BAG-1}). */
    public static String baseSku(String poolSku) {
        return poolSku.substring(poolSku.indexOf(':', POOL_PREFIX.length()) + 1);
    }
}
