package com.sansam.stock.inventory.service;

import com.sansam.messages.Messages;
import com.sansam.messages.StockCommands;
import com.sansam.messages.StockEvents;
import com.sansam.runtime.inbox.PermanentFailure;
import com.sansam.runtime.outbox.Outbox;
import com.sansam.stock.inventory.config.StockConfig;
import com.sansam.stock.inventory.model.DealPool;
import com.sansam.stock.inventory.model.Reservation;
import com.sansam.stock.inventory.model.ReservationLine;
import com.sansam.stock.inventory.model.ReservationStatus;
import com.sansam.stock.inventory.model.StockItem;
import com.sansam.stock.inventory.model.StockMovement;
import com.sansam.stock.inventory.model.StockMovement.Kind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every rule about stock, in one place. Each method runs inside the caller's transaction (the inbox
 * transaction of the command that triggered it) and writes its answering events to the outbox in it.
 * <p>
 * Invariants: {@code available >= 0}, {@code reserved >= 0}; a reservation takes all its lines or nothing;
 * rows are locked in SKU order, so concurrent reservations of the same SKUs serialise without deadlocks.
 */
@ApplicationScoped
public class StockService {

    private final Outbox outbox;
    private final StockConfig config;

    public StockService(Outbox outbox, StockConfig config) {
        this.outbox = outbox;
        this.config = config;
    }

    /**
     * Reserves stock for the orders, in the order given, all in the caller's transaction on {@code connection} (the
     * hot path of a drop: a fixed number of statements however many orders the batch holds). Each order takes all
     * its lines or none: with too little of any SKU it is rejected and names the short SKUs. An order already
     * answered, or released before its reservation arrived, is skipped. The SKU rows of the whole batch are locked
     * at once in SKU order, so concurrent batches serialise on them without deadlocks. One StockChanged per SKU
     * whose availability moved (its state after the batch) and LowStock where it fell to its threshold.
     */
    public Uni<Void> reserveAll(SqlConnection connection, List<StockCommands.ReserveStock> commands) {
        Map<String, StockCommands.ReserveStock> byOrder = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> wanted = new LinkedHashMap<>();
        java.util.SortedSet<String> skus = new java.util.TreeSet<>();
        for (StockCommands.ReserveStock command : commands) {
            if (byOrder.putIfAbsent(command.orderId(), command) == null) {
                Map<String, Integer> lines = merge(command.lines());
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
        /** The orders of the batch that took units of this SKU (named in its StockChanged). */
        final List<String> reservedFor = new ArrayList<>();

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
        private final List<Outbox.Pending> events = new ArrayList<>();

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
                events.add(pendingOrderEvent(orderId, new StockEvents.StockRejected(orderId, shortSkus)));
                return;
            }
            resStatus.add(ReservationStatus.HELD.name());
            resExpiry.add(
                    command.expiresAt() == null ? null : command.expiresAt().atOffset(ZoneOffset.UTC));
            lines.forEach((sku, qty) -> {
                Level level = levels.get(sku);
                level.available -= qty;
                level.reserved += qty;
                level.reservedFor.add(orderId);
                lineOrder.add(orderId);
                lineSku.add(sku);
                lineQty.add(qty);
            });
            events.add(pendingOrderEvent(orderId, new StockEvents.StockReserved(orderId)));
        }

        Uni<Void> write(SqlConnection connection) {
            List<String> itemSku = new ArrayList<>();
            List<Integer> itemAvailable = new ArrayList<>();
            List<Integer> itemReserved = new ArrayList<>();
            List<Long> itemVersion = new ArrayList<>();
            List<Boolean> itemAlerted = new ArrayList<>();
            levels.forEach((sku, level) -> {
                if (level.available == level.availableBefore) {
                    return; // nothing reserved from it (every order naming it was rejected)
                }
                level.version++;
                level.lowAlerted = announce(
                        sku,
                        level.availableBefore,
                        level.available,
                        level.version,
                        level.lowThreshold,
                        level.lowAlerted,
                        level.reservedFor,
                        events);
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
            return written.chain(() -> outbox.addAll(connection, events));
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

    private static Outbox.Pending pendingOrderEvent(String orderId, Object event) {
        return new Outbox.Pending(Messages.STOCK_EVENTS_EXCHANGE, "order", orderId, event);
    }

    /**
     * What a transaction that moved a SKU's availability from {@code before} to {@code after} announces: StockChanged
     * with the new version (and the orders that reserved from it, {@code reservedFor}) and, when it fell to its threshold, one LowStock (not again until it was above the
     * threshold). Adds them to {@code events}; answers the SKU's low-stock flag afterwards.
     */
    private static boolean announce(
            String sku,
            int before,
            int after,
            long version,
            int threshold,
            boolean alerted,
            List<String> reservedFor,
            List<Outbox.Pending> events) {
        if (StockCommands.isPool(sku)) {
            return false; // a deal's pool is not for sale on its own: the deal tells its buyers what is left
        }
        events.add(pendingSkuEvent(sku, new StockEvents.StockChanged(sku, after, version, reservedFor)));
        if (after <= threshold && !alerted && after < before) {
            events.add(pendingSkuEvent(sku, new StockEvents.LowStock(sku, after, threshold)));
            return true;
        }
        return after <= threshold && alerted;
    }

    private static Outbox.Pending pendingSkuEvent(String sku, Object event) {
        return new Outbox.Pending(Messages.STOCK_EVENTS_EXCHANGE, "sku", sku, event);
    }

    /**
     * Turns held stock into sold stock. When the reservation was released or expired meanwhile, takes the
     * stock again if it is still there; otherwise answers CommitFailed (the order side refunds).
     */
    public Uni<Void> commit(StockCommands.CommitReservation command) {
        String orderId = command.orderId();
        return Reservation.lock(orderId).chain(reservation -> {
            if (reservation == null || reservation.status == ReservationStatus.REJECTED) {
                return orderEvent(orderId, new StockEvents.CommitFailed(orderId, "no reservation for this order"));
            }
            if (reservation.status == ReservationStatus.COMMITTED) {
                return Uni.createFrom().voidItem();
            }
            return lockedLines(orderId).chain(locked -> {
                Changes changes = new Changes();
                if (reservation.status == ReservationStatus.HELD) {
                    locked.lines.forEach(line ->
                            changes.apply(locked.item(line), Kind.COMMIT, 0, -line.outstanding(), orderId, null));
                } else {
                    boolean allThere =
                            locked.lines.stream().allMatch(line -> locked.item(line).available >= line.outstanding());
                    if (!allThere) {
                        return orderEvent(
                                orderId,
                                new StockEvents.CommitFailed(
                                        orderId,
                                        "reservation "
                                                + reservation.status.name().toLowerCase() + " and the stock was sold"));
                    }
                    locked.lines.forEach(line ->
                            changes.apply(locked.item(line), Kind.RETAKE, -line.outstanding(), 0, orderId, null));
                }
                reservation.status = ReservationStatus.COMMITTED;
                reservation.updatedAt = Instant.now();
                return changes.flush().chain(() -> orderEvent(orderId, new StockEvents.ReservationCommitted(orderId)));
            });
        });
    }

    public Uni<Void> release(StockCommands.ReleaseReservation command) {
        String orderId = command.orderId();
        return Reservation.lock(orderId).chain(reservation -> {
            if (reservation == null) {
                // Released before its ReserveStock arrived: remember, so the late reservation is ignored.
                return Reservation.of(orderId, ReservationStatus.RELEASED, null)
                        .persist()
                        .chain(() ->
                                orderEvent(orderId, new StockEvents.ReservationReleased(orderId, command.reason())));
            }
            if (reservation.status != ReservationStatus.HELD) {
                return Uni.createFrom().voidItem();
            }
            return giveBack(reservation, ReservationStatus.RELEASED, Kind.RELEASE, command.reason())
                    .chain(() -> orderEvent(orderId, new StockEvents.ReservationReleased(orderId, command.reason())));
        });
    }

    /** Releases one held reservation whose time ran out (called by the expiry job, row already locked). */
    public Uni<Void> expire(Reservation reservation) {
        if (reservation.status != ReservationStatus.HELD) {
            return Uni.createFrom().voidItem();
        }
        return giveBack(reservation, ReservationStatus.EXPIRED, Kind.EXPIRE, "reservation expired")
                .chain(() -> orderEvent(reservation.orderId, new StockEvents.ReservationExpired(reservation.orderId)));
    }

    /** Puts back units of a (partly) cancelled order; each cancel id is applied once, never beyond the order's lines. */
    public Uni<Void> restore(StockCommands.RestoreStock command) {
        String orderId = command.orderId();
        Map<String, Integer> wanted = merge(command.lines());
        return Reservation.lock(orderId).chain(reservation -> {
            if (reservation == null
                    || (reservation.status != ReservationStatus.COMMITTED
                            && reservation.status != ReservationStatus.HELD)) {
                throw new PermanentFailure("Order " + orderId + " has no committed or held stock to restore");
            }
            return Panache.getSession()
                    .chain(session -> session.createNativeQuery("""
                            insert into stock_restore (order_id, cancel_id, restored_at) values (:order, :cancel, now())
                            on conflict do nothing""")
                            .setParameter("order", orderId)
                            .setParameter("cancel", command.cancelId())
                            .executeUpdate())
                    .chain(inserted -> inserted == 0
                            ? Uni.createFrom().voidItem()
                            : lockedLines(orderId).chain(locked -> {
                                Changes changes = new Changes();
                                boolean held = reservation.status == ReservationStatus.HELD;
                                for (ReservationLine line : locked.lines) {
                                    int qty = Math.min(wanted.getOrDefault(line.sku, 0), line.outstanding());
                                    if (qty > 0) {
                                        line.restoredQty += qty;
                                        changes.apply(
                                                locked.item(line),
                                                Kind.RESTORE,
                                                qty,
                                                held ? -qty : 0,
                                                orderId,
                                                command.cancelId());
                                    }
                                }
                                locked.returnFromClosedPools(changes, orderId);
                                return changes.flush()
                                        .chain(() -> orderEvent(
                                                orderId, new StockEvents.StockRestored(orderId, command.cancelId())));
                            }));
        });
    }

    /**
     * Admin restock or correction; creates the SKU on its first positive adjustment. A cut below what is available is
     * refused by rule: answered StockAdjustRefused (nothing changes), not failed. Applied: StockAdjusted.
     */
    public Uni<Void> adjust(StockCommands.AdjustStock command) {
        if (command.sku() == null || command.sku().isBlank()) {
            return Uni.createFrom().failure(new PermanentFailure("AdjustStock without a SKU"));
        }
        String sku = command.sku();
        return StockItem.lockAll(List.of(sku)).chain(items -> {
            StockItem item = items.isEmpty() ? null : items.get(0);
            int available = item == null ? 0 : item.available;
            if (available + command.delta() < 0) {
                return skuEvent(
                        sku,
                        new StockEvents.StockAdjustRefused(
                                command.adjustmentId(),
                                sku,
                                command.delta(),
                                available,
                                "would leave " + (available + command.delta()) + " available (" + available
                                        + " available)"));
            }
            Uni<StockItem> target;
            if (item == null) {
                StockItem created = new StockItem();
                created.sku = sku;
                created.lowThreshold = config.lowStockThreshold();
                created.updatedAt = Instant.now();
                target = created.persist();
            } else {
                target = Uni.createFrom().item(item);
            }
            return target.chain(stock -> {
                Changes changes = new Changes();
                changes.apply(stock, Kind.ADJUST, command.delta(), 0, null, command.reason());
                return changes.flush()
                        .chain(() -> skuEvent(
                                sku,
                                new StockEvents.StockAdjusted(
                                        command.adjustmentId(), sku, command.delta(), stock.available)));
            });
        });
    }

    private Uni<Void> skuEvent(String sku, Object event) {
        return outbox.add(Messages.STOCK_EVENTS_EXCHANGE, "sku", sku, event).replaceWithVoid();
    }

    // ------------------------------------------------------------------------------------------------

    private Uni<Void> giveBack(Reservation reservation, ReservationStatus status, Kind kind, String reason) {
        return lockedLines(reservation.orderId).chain(locked -> {
            Changes changes = new Changes();
            locked.lines.forEach(line -> changes.apply(
                    locked.item(line), kind, line.outstanding(), -line.outstanding(), reservation.orderId, reason));
            locked.returnFromClosedPools(changes, reservation.orderId);
            reservation.status = status;
            reservation.updatedAt = Instant.now();
            return changes.flush();
        });
    }

    /**
     * An order's reservation lines with their stock rows locked; for lines of a deal, the SKU's row too, and which of
     * the deal's pools are closed.
     */
    private record LockedLines(
            List<ReservationLine> lines, Map<String, StockItem> items, java.util.Set<String> closedPools) {
        StockItem item(ReservationLine line) {
            return items.get(line.sku);
        }

        /** Units that came back into a closed deal's pool belong to regular stock again: moved there at once. */
        void returnFromClosedPools(Changes changes, String orderId) {
            for (ReservationLine line : lines) {
                StockItem pool = item(line);
                if (closedPools.contains(line.sku) && pool.available > 0) {
                    changes.move(
                            pool,
                            items.get(StockCommands.baseSku(line.sku)),
                            pool.available,
                            Kind.DEAL_RETURN,
                            orderId,
                            "deal closed");
                }
            }
        }
    }

    private static Uni<LockedLines> lockedLines(String orderId) {
        return ReservationLine.ofOrder(orderId).chain(lines -> {
            if (lines.isEmpty()) {
                return Uni.createFrom().item(new LockedLines(lines, Map.of(), java.util.Set.of()));
            }
            List<String> pools =
                    lines.stream().map(l -> l.sku).filter(StockCommands::isPool).toList();
            java.util.Set<String> skus =
                    new java.util.TreeSet<>(lines.stream().map(l -> l.sku).toList());
            pools.forEach(pool -> skus.add(StockCommands.baseSku(pool)));
            Uni<java.util.Set<String>> closed = pools.isEmpty()
                    ? Uni.createFrom().item(java.util.Set.of())
                    : DealPool.closedAmong(pools)
                            .map(found -> found.stream().map(p -> p.poolSku).collect(Collectors.toSet()));
            return StockItem.lockAll(skus)
                    .chain(items -> closed.map(closedPools -> new LockedLines(lines, index(items), closedPools)));
        });
    }

    // ------------------------------------------------------------------------------------------------ deals

    /**
     * Sets a deal's pools to the revision's quantities, moving units between each SKU and its pool: all lines or none.
     * Answers DealStockSetAside, or DealStockRefused naming the first SKU without enough units (and how many the
     * deal could hold). A closed deal, or a revision not newer than the last applied, changes nothing.
     */
    public Uni<Void> setAside(StockCommands.SetAsideDealStock command) {
        long dealId = command.dealId();
        Map<String, Integer> wanted = merge(command.lines());
        return lockDealCommands(dealId)
                .chain(() -> isClosed(dealId))
                .chain(closed -> closed
                        ? Uni.createFrom().voidItem()
                        : DealPool.lockDeal(dealId).chain(pools -> {
                            if (pools.stream().anyMatch(p -> p.revision >= command.revision())) {
                                return Uni.createFrom().voidItem();
                            }
                            Map<String, DealPool> bySku =
                                    pools.stream().collect(Collectors.toMap(p -> p.sku, Function.identity()));
                            java.util.Set<String> skus = new java.util.TreeSet<>(wanted.keySet());
                            wanted.keySet().forEach(sku -> skus.add(StockCommands.poolSku(dealId, sku)));
                            return StockItem.lockAll(skus).chain(items -> {
                                Map<String, StockItem> index = index(items);
                                for (Map.Entry<String, Integer> line : wanted.entrySet()) {
                                    StockItem base = index.get(line.getKey());
                                    StockItem pool = index.get(StockCommands.poolSku(dealId, line.getKey()));
                                    int held = bySku.containsKey(line.getKey()) ? bySku.get(line.getKey()).setAside : 0;
                                    int delta = line.getValue() - held;
                                    int poolAvailable = pool == null ? 0 : pool.available;
                                    if (base == null
                                            || (delta > 0 && base.available < delta)
                                            || (delta < 0 && poolAvailable < -delta)) {
                                        int couldHold =
                                                base == null ? 0 : base.available + Math.min(held, poolAvailable);
                                        return dealEvent(
                                                dealId,
                                                new StockEvents.DealStockRefused(
                                                        dealId, command.revision(), line.getKey(), couldHold));
                                    }
                                }
                                Changes changes = new Changes();
                                Uni<Void> created = Uni.createFrom().voidItem();
                                for (Map.Entry<String, Integer> line : wanted.entrySet()) {
                                    String sku = line.getKey();
                                    String poolSku = StockCommands.poolSku(dealId, sku);
                                    StockItem pool = index.get(poolSku);
                                    if (pool == null) {
                                        StockItem newPool = newPool(poolSku);
                                        index.put(poolSku, newPool);
                                        created = created.chain(() -> newPool.persist())
                                                .replaceWithVoid();
                                        pool = newPool;
                                    }
                                    DealPool share = bySku.get(sku);
                                    int delta = line.getValue() - (share == null ? 0 : share.setAside);
                                    if (share == null) {
                                        share = new DealPool();
                                        share.dealId = dealId;
                                        share.sku = sku;
                                        share.poolSku = poolSku;
                                        DealPool fresh = share;
                                        created = created.chain(() -> fresh.persist())
                                                .replaceWithVoid();
                                    }
                                    share.setAside = line.getValue();
                                    share.revision = command.revision();
                                    if (delta > 0) {
                                        changes.move(
                                                index.get(sku),
                                                pool,
                                                delta,
                                                Kind.DEAL_SET_ASIDE,
                                                null,
                                                "deal " + dealId);
                                    } else if (delta < 0) {
                                        changes.move(
                                                pool,
                                                index.get(sku),
                                                -delta,
                                                Kind.DEAL_RETURN,
                                                null,
                                                "deal " + dealId + " reduced");
                                    }
                                }
                                List<StockCommands.Line> lines = wanted.entrySet().stream()
                                        .map(e -> new StockCommands.Line(e.getKey(), e.getValue()))
                                        .toList();
                                return created.chain(changes::flush)
                                        .chain(() -> dealEvent(
                                                dealId,
                                                new StockEvents.DealStockSetAside(dealId, command.revision(), lines)));
                            });
                        }));
    }

    /**
     * Closes a deal once, whatever its pools hold (all sold, all reserved, some left, none set aside yet): the pools
     * close, what is left in them goes back to each SKU, and DealClosed answers it. Units that come back into a closed
     * pool later (an unpaid order expiring, a cancel) go to the SKU at once ({@link LockedLines#returnFromClosedPools}).
     * A second close, or a duplicate, changes nothing.
     */
    public Uni<Void> closeDeal(StockCommands.CloseDeal command) {
        long dealId = command.dealId();
        return lockDealCommands(dealId)
                .chain(() -> Panache.getSession()
                        .chain(session -> session.createNativeQuery("""
                                insert into deal_closure (deal_id, reason, closed_at) values (:deal, :reason, now())
                                on conflict do nothing""")
                                .setParameter("deal", dealId)
                                .setParameter("reason", clip(command.reason(), 200))
                                .executeUpdate()))
                .chain(inserted -> inserted == 0
                        ? Uni.createFrom().voidItem()
                        : DealPool.lockDeal(dealId).chain(pools -> {
                            java.util.Set<String> skus = new java.util.TreeSet<>();
                            pools.forEach(p -> {
                                skus.add(p.sku);
                                skus.add(p.poolSku);
                            });
                            Uni<Map<String, StockItem>> locked = skus.isEmpty()
                                    ? Uni.createFrom().item(Map.of())
                                    : StockItem.lockAll(skus).map(StockService::index);
                            return locked.chain(index -> {
                                Changes changes = new Changes();
                                List<StockCommands.Line> returned = new ArrayList<>();
                                Instant now = Instant.now();
                                for (DealPool pool : pools) {
                                    StockItem units = index.get(pool.poolSku);
                                    returned.add(new StockCommands.Line(pool.sku, units.available));
                                    if (units.available > 0) {
                                        changes.move(
                                                units,
                                                index.get(pool.sku),
                                                units.available,
                                                Kind.DEAL_RETURN,
                                                null,
                                                clip("deal " + dealId + " closed: " + command.reason(), 200));
                                    }
                                    pool.closedAt = now;
                                }
                                return changes.flush()
                                        .chain(() -> dealEvent(dealId, new StockEvents.DealClosed(dealId, returned)));
                            });
                        }));
    }

    /**
     * Serialises the commands that decide a deal's pools (set-aside, close) on any replica, for the rest of the
     * transaction: a pool that does not exist yet has no row to lock. Commands of one deal arrive in order on one
     * lane; this holds the rule even when two consumers get them.
     */
    private static Uni<Void> lockDealCommands(long dealId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select count(*) from (select pg_advisory_xact_lock(:key)) locked")
                        .setParameter("key", dealId)
                        .getSingleResult())
                .replaceWithVoid();
    }

    private static Uni<Boolean> isClosed(long dealId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("select count(*) from deal_closure where deal_id = :deal")
                        .setParameter("deal", dealId)
                        .getSingleResult())
                .map(count -> ((Number) count).longValue() > 0);
    }

    private static String clip(String text, int max) {
        String value = text == null ? "" : text;
        return value.length() <= max ? value : value.substring(0, max);
    }

    private static StockItem newPool(String poolSku) {
        StockItem pool = new StockItem();
        pool.sku = poolSku;
        pool.updatedAt = Instant.now();
        return pool;
    }

    private Uni<Void> dealEvent(long dealId, Object event) {
        return outbox.add(Messages.STOCK_EVENTS_EXCHANGE, StockCommands.DEAL_AGGREGATE, Long.toString(dealId), event)
                .replaceWithVoid();
    }

    private Uni<Void> orderEvent(String orderId, Object event) {
        return outbox.add(Messages.STOCK_EVENTS_EXCHANGE, "order", orderId, event)
                .replaceWithVoid();
    }

    private static Map<String, StockItem> index(List<StockItem> items) {
        return items.stream().collect(Collectors.toMap(i -> i.sku, Function.identity()));
    }

    /** Sums quantities per SKU, sorted by SKU; refuses empty orders and non-positive quantities. */
    private static Map<String, Integer> merge(List<StockCommands.Line> lines) {
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

    /**
     * The changes of one transaction: applies deltas to locked rows, records them in the ledger and, at
     * {@link #flush()}, writes one StockChanged per SKU touched and LowStock where a SKU fell to its threshold.
     */
    private final class Changes {
        private final List<StockMovement> movements = new ArrayList<>();
        private final Map<String, StockItem> touched = new LinkedHashMap<>();
        private final Map<String, Integer> availableBefore = new LinkedHashMap<>();

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
                        List.of(),
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
    }
}
