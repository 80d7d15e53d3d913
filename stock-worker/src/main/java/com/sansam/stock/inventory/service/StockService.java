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
import com.sansam.stock.inventory.model.StockMovement.Kind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The rules of one order's stock after its reservation: commit, release, expiry, restore after a cancel, and admin
 * adjustments. Reserving many orders at once is {@link ReservationBatch}; deals' pools are {@link DealPools}. Each
 * method runs inside the caller's transaction (the inbox transaction of the command that triggered it) and writes its
 * answering events to the outbox in it.
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
                StockChanges changes = new StockChanges(outbox);
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
        Map<String, Integer> wanted = StockChanges.merge(command.lines());
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
                                StockChanges changes = new StockChanges(outbox);
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
                StockChanges changes = new StockChanges(outbox);
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
            StockChanges changes = new StockChanges(outbox);
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
        void returnFromClosedPools(StockChanges changes, String orderId) {
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
                    .chain(items ->
                            closed.map(closedPools -> new LockedLines(lines, StockChanges.index(items), closedPools)));
        });
    }

    private Uni<Void> orderEvent(String orderId, Object event) {
        return outbox.add(Messages.STOCK_EVENTS_EXCHANGE, "order", orderId, event)
                .replaceWithVoid();
    }
}
