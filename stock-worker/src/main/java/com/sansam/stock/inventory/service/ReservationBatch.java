package com.sansam.stock.inventory.service;

import com.sansam.messages.StockCommands;
import com.sansam.messages.StockEvents;
import com.sansam.runtime.outbox.Outbox;
import com.sansam.stock.inventory.model.ReservationStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hot path of a drop: reservations many to a transaction, on the reactive SQL client, with a fixed number of
 * statements however many orders the batch holds.
 */
@ApplicationScoped
public class ReservationBatch {

    private final Outbox outbox;

    public ReservationBatch(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Reserves stock for the orders, in the order given, all in the caller's transaction on {@code connection} (the
     * hot path of a drop: a fixed number of statements however many orders the batch holds). Each order takes all
     * its lines or none: with too little of any SKU it is rejected and names the short SKUs. An order already
     * answered, or released before its reservation arrived, is skipped. The SKU rows of the whole batch are locked
     * at once in SKU order, so concurrent batches serialise on them without deadlocks. Each StockReserved carries what
     * the batch left of its order's SKUs, with their new versions (the reservation's StockChanged, folded in: one
     * message per order instead of one more per SKU), and a LowStock goes out where a SKU fell to its threshold.
     */
    public Uni<Void> reserveAll(SqlConnection connection, List<StockCommands.ReserveStock> commands) {
        Map<String, StockCommands.ReserveStock> byOrder = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> wanted = new LinkedHashMap<>();
        java.util.SortedSet<String> skus = new java.util.TreeSet<>();
        for (StockCommands.ReserveStock command : commands) {
            if (byOrder.putIfAbsent(command.orderId(), command) == null) {
                Map<String, Integer> lines = StockChanges.merge(command.lines());
                wanted.put(command.orderId(), lines);
                skus.addAll(lines.keySet());
            }
        }
        return connection
                .preparedQuery("select order_id from reservation where order_id = any($1)")
                .execute(Tuple.of(byOrder.keySet().toArray(String[]::new)))
                .chain(answered -> {
                    answered.forEach(row -> wanted.remove(row.getString(0)));
                    if (wanted.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return connection
                            .preparedQuery(LOCK_ITEMS)
                            .execute(Tuple.of(skus.toArray(String[]::new)))
                            .chain(rows -> {
                                Map<String, Level> levels = new LinkedHashMap<>();
                                rows.forEach(row -> levels.put(row.getString("sku"), new Level(row)));
                                Batch batch = new Batch(levels);
                                wanted.forEach((orderId, lines) -> batch.reserve(byOrder.get(orderId), lines));
                                return batch.write(connection);
                            });
                });
    }

    private static final String LOCK_ITEMS = """
            select sku, available, reserved, low_threshold, low_alerted, version from stock_item
            where sku = any($1) order by sku for update""";

    /** A locked stock row as the batch changes it. */
    private static final class Level {
        final int availableBefore;
        final int lowThreshold;
        int available;
        int reserved;
        boolean lowAlerted;
        long version;

        Level(io.vertx.mutiny.sqlclient.Row row) {
            available = row.getInteger("available");
            availableBefore = available;
            reserved = row.getInteger("reserved");
            lowThreshold = row.getInteger("low_threshold");
            lowAlerted = row.getBoolean("low_alerted");
            version = row.getLong("version");
        }
    }

    /** The rows and events of one reservation batch, written with one statement each. */
    private final class Batch {
        private final Map<String, Level> levels;
        private final List<String> resOrder = new ArrayList<>();
        private final List<String> resStatus = new ArrayList<>();
        private final List<OffsetDateTime> resExpiry = new ArrayList<>();
        private final List<String> lineOrder = new ArrayList<>();
        private final List<String> lineSku = new ArrayList<>();
        private final List<Integer> lineQty = new ArrayList<>();
        /** The outcome of each order, in the order given: the SKUs it reserved, or the rejection it gets. */
        private final List<Outcome> outcomes = new ArrayList<>();

        Batch(Map<String, Level> levels) {
            this.levels = levels;
        }

        void reserve(StockCommands.ReserveStock command, Map<String, Integer> lines) {
            String orderId = command.orderId();
            List<String> shortSkus = lines.entrySet().stream()
                    .filter(e -> !levels.containsKey(e.getKey()) || levels.get(e.getKey()).available < e.getValue())
                    .map(Map.Entry::getKey)
                    .toList();
            resOrder.add(orderId);
            if (!shortSkus.isEmpty()) {
                resStatus.add(ReservationStatus.REJECTED.name());
                resExpiry.add(null);
                outcomes.add(new Outcome(orderId, List.of(), shortSkus));
                return;
            }
            resStatus.add(ReservationStatus.HELD.name());
            resExpiry.add(
                    command.expiresAt() == null ? null : command.expiresAt().atOffset(ZoneOffset.UTC));
            lines.forEach((sku, qty) -> {
                Level level = levels.get(sku);
                level.available -= qty;
                level.reserved += qty;
                lineOrder.add(orderId);
                lineSku.add(sku);
                lineQty.add(qty);
            });
            outcomes.add(new Outcome(orderId, List.copyOf(lines.keySet()), List.of()));
        }

        Uni<Void> write(SqlConnection connection) {
            List<String> itemSku = new ArrayList<>();
            List<Integer> itemAvailable = new ArrayList<>();
            List<Integer> itemReserved = new ArrayList<>();
            List<Long> itemVersion = new ArrayList<>();
            List<Boolean> itemAlerted = new ArrayList<>();
            List<Outbox.Pending> lowStock = new ArrayList<>();
            levels.forEach((sku, level) -> {
                if (level.available == level.availableBefore) {
                    return; // nothing reserved from it (every order naming it was rejected)
                }
                level.version++;
                level.lowAlerted = StockChanges.lowStock(
                        sku, level.availableBefore, level.available, level.lowThreshold, level.lowAlerted, lowStock);
                itemSku.add(sku);
                itemAvailable.add(level.available);
                itemReserved.add(level.reserved);
                itemVersion.add(level.version);
                itemAlerted.add(level.lowAlerted);
            });
            Uni<Void> written = connection
                    .preparedQuery(INSERT_RESERVATIONS)
                    .execute(Tuple.of(
                            resOrder.toArray(String[]::new),
                            resStatus.toArray(String[]::new),
                            resExpiry.toArray(OffsetDateTime[]::new)))
                    .replaceWithVoid();
            if (!lineOrder.isEmpty()) {
                Tuple lines = Tuple.of(
                        lineOrder.toArray(String[]::new),
                        lineSku.toArray(String[]::new),
                        lineQty.toArray(Integer[]::new));
                written = written.chain(
                                () -> connection.preparedQuery(INSERT_LINES).execute(lines))
                        .chain(() -> connection
                                .preparedQuery(INSERT_RESERVE_MOVEMENTS)
                                .execute(lines))
                        .chain(() -> connection
                                .preparedQuery(UPDATE_ITEMS)
                                .execute(Tuple.of(
                                        itemSku.toArray(String[]::new),
                                        itemAvailable.toArray(Integer[]::new),
                                        itemReserved.toArray(Integer[]::new),
                                        itemVersion.toArray(Long[]::new),
                                        itemAlerted.toArray(Boolean[]::new))))
                        .replaceWithVoid();
            }
            List<Outbox.Pending> events = new ArrayList<>(outcomes.size() + lowStock.size());
            outcomes.forEach(
                    outcome -> events.add(StockChanges.pendingOrderEvent(outcome.orderId(), outcome.event(levels))));
            events.addAll(lowStock);
            return written.chain(() -> outbox.addAll(connection, events));
        }
    }

    /** One order's outcome in a batch: the SKUs it reserved, or (non-empty {@code shortSkus}) its rejection. */
    private record Outcome(String orderId, List<String> reserved, List<String> shortSkus) {

        /**
         * StockRejected, or StockReserved with the levels the batch left of the order's SKUs (a deal's pool is not for
         * sale on its own: the deal tells its buyers what is left).
         */
        Object event(Map<String, Level> levels) {
            if (!shortSkus.isEmpty()) {
                return new StockEvents.StockRejected(orderId, shortSkus);
            }
            return new StockEvents.StockReserved(
                    orderId,
                    reserved.stream()
                            .filter(sku -> !StockCommands.isPool(sku))
                            .map(sku ->
                                    new StockEvents.SkuLevel(sku, levels.get(sku).available, levels.get(sku).version))
                            .toList());
        }
    }

    private static final String INSERT_RESERVATIONS = """
            insert into reservation (order_id, status, expires_at, created_at, updated_at)
            select r.order_id, r.status, r.expires_at, now(), now()
            from unnest($1::text[], $2::text[], $3::timestamptz[]) as r(order_id, status, expires_at)""";

    private static final String INSERT_LINES = """
            insert into reservation_line (order_id, sku, qty)
            select * from unnest($1::text[], $2::text[], $3::int[])""";

    private static final String INSERT_RESERVE_MOVEMENTS = """
            insert into stock_movement (sku, kind, available_delta, reserved_delta, order_id, at)
            select m.sku, 'RESERVE', -m.qty, m.qty, m.order_id, now()
            from unnest($1::text[], $2::text[], $3::int[]) as m(order_id, sku, qty)""";

    private static final String UPDATE_ITEMS = """
            update stock_item s set available = v.available, reserved = v.reserved, version = v.version,
                                    low_alerted = v.low_alerted, updated_at = now()
            from unnest($1::text[], $2::int[], $3::int[], $4::bigint[], $5::bool[]) as v(sku, available, reserved, version, low_alerted)
            where s.sku = v.sku""";
}
