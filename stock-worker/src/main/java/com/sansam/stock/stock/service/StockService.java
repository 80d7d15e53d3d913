package com.sansam.stock.stock.service;

import com.sansam.contracts.Messages;
import com.sansam.contracts.StockCommands;
import com.sansam.contracts.StockEvents;
import com.sansam.contracts.inbox.PermanentFailure;
import com.sansam.contracts.outbox.Outbox;
import com.sansam.stock.stock.config.StockConfig;
import com.sansam.stock.stock.model.Reservation;
import com.sansam.stock.stock.model.ReservationLine;
import com.sansam.stock.stock.model.ReservationStatus;
import com.sansam.stock.stock.model.StockItem;
import com.sansam.stock.stock.model.StockMovement;
import com.sansam.stock.stock.model.StockMovement.Kind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
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

    public Uni<Void> reserve(StockCommands.ReserveStock command) {
        Map<String, Integer> wanted = merge(command.lines());
        return Reservation.<Reservation>findById(command.orderId()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem(); // already answered (or released before it arrived)
            }
            return StockItem.lockAll(wanted.keySet()).chain(items -> {
                Map<String, StockItem> bySku = index(items);
                List<String> shortSkus = wanted.entrySet().stream()
                        .filter(e -> !bySku.containsKey(e.getKey()) || bySku.get(e.getKey()).available < e.getValue())
                        .map(Map.Entry::getKey).toList();
                if (!shortSkus.isEmpty()) {
                    return Reservation.of(command.orderId(), ReservationStatus.REJECTED, null).persist()
                            .chain(() -> orderEvent(command.orderId(), new StockEvents.StockRejected(command.orderId(), shortSkus)));
                }
                Changes changes = new Changes();
                List<ReservationLine> lines = new ArrayList<>();
                wanted.forEach((sku, qty) -> {
                    changes.apply(bySku.get(sku), Kind.RESERVE, -qty, qty, command.orderId(), null);
                    ReservationLine line = new ReservationLine();
                    line.orderId = command.orderId();
                    line.sku = sku;
                    line.qty = qty;
                    lines.add(line);
                });
                return Reservation.of(command.orderId(), ReservationStatus.HELD, command.expiresAt()).persist()
                        .chain(() -> ReservationLine.persist(lines))
                        .chain(() -> changes.flush())
                        .chain(() -> orderEvent(command.orderId(), new StockEvents.StockReserved(command.orderId())));
            });
        });
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
                    locked.lines.forEach(line -> changes.apply(locked.item(line), Kind.COMMIT, 0, -line.outstanding(), orderId, null));
                } else {
                    boolean allThere = locked.lines.stream().allMatch(line -> locked.item(line).available >= line.outstanding());
                    if (!allThere) {
                        return orderEvent(orderId, new StockEvents.CommitFailed(orderId,
                                "reservation " + reservation.status.name().toLowerCase() + " and the stock was sold"));
                    }
                    locked.lines.forEach(line -> changes.apply(locked.item(line), Kind.RETAKE, -line.outstanding(), 0, orderId, null));
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
                return Reservation.of(orderId, ReservationStatus.RELEASED, null).persist()
                        .chain(() -> orderEvent(orderId, new StockEvents.ReservationReleased(orderId, command.reason())));
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
            if (reservation == null || (reservation.status != ReservationStatus.COMMITTED && reservation.status != ReservationStatus.HELD)) {
                throw new PermanentFailure("Order " + orderId + " has no committed or held stock to restore");
            }
            return Panache.getSession().chain(session -> session.createNativeQuery("""
                            insert into stock_restore (order_id, cancel_id, restored_at) values (:order, :cancel, now())
                            on conflict do nothing""")
                    .setParameter("order", orderId).setParameter("cancel", command.cancelId()).executeUpdate())
                    .chain(inserted -> inserted == 0 ? Uni.createFrom().voidItem()
                            : lockedLines(orderId).chain(locked -> {
                                Changes changes = new Changes();
                                boolean held = reservation.status == ReservationStatus.HELD;
                                for (ReservationLine line : locked.lines) {
                                    int qty = Math.min(wanted.getOrDefault(line.sku, 0), line.outstanding());
                                    if (qty > 0) {
                                        line.restoredQty += qty;
                                        changes.apply(locked.item(line), Kind.RESTORE, qty, held ? -qty : 0, orderId, command.cancelId());
                                    }
                                }
                                return changes.flush().chain(() -> orderEvent(orderId,
                                        new StockEvents.StockRestored(orderId, command.cancelId())));
                            }));
        });
    }

    /** Admin restock or correction; creates the SKU on its first positive adjustment. */
    public Uni<Void> adjust(StockCommands.AdjustStock command) {
        if (command.sku() == null || command.sku().isBlank()) {
            return Uni.createFrom().failure(new PermanentFailure("AdjustStock without a SKU"));
        }
        return StockItem.lockAll(List.of(command.sku())).chain(items -> {
            StockItem item = items.isEmpty() ? null : items.get(0);
            Uni<StockItem> target;
            if (item == null) {
                StockItem created = new StockItem();
                created.sku = command.sku();
                created.lowThreshold = config.lowStockThreshold();
                created.updatedAt = Instant.now();
                target = created.persist();
            } else {
                target = Uni.createFrom().item(item);
            }
            return target.chain(stock -> {
                if (stock.available + command.delta() < 0) {
                    throw new PermanentFailure("Adjusting " + command.sku() + " by " + command.delta()
                            + " would leave " + (stock.available + command.delta()) + " available");
                }
                Changes changes = new Changes();
                changes.apply(stock, Kind.ADJUST, command.delta(), 0, null, command.reason());
                return changes.flush();
            });
        });
    }

    // ------------------------------------------------------------------------------------------------

    private Uni<Void> giveBack(Reservation reservation, ReservationStatus status, Kind kind, String reason) {
        return lockedLines(reservation.orderId).chain(locked -> {
            Changes changes = new Changes();
            locked.lines.forEach(line -> changes.apply(locked.item(line), kind, line.outstanding(), -line.outstanding(),
                    reservation.orderId, reason));
            reservation.status = status;
            reservation.updatedAt = Instant.now();
            return changes.flush();
        });
    }

    private record LockedLines(List<ReservationLine> lines, Map<String, StockItem> items) {
        StockItem item(ReservationLine line) {
            return items.get(line.sku);
        }
    }

    private static Uni<LockedLines> lockedLines(String orderId) {
        return ReservationLine.ofOrder(orderId).chain(lines -> lines.isEmpty()
                ? Uni.createFrom().item(new LockedLines(lines, Map.of()))
                : StockItem.lockAll(lines.stream().map(l -> l.sku).toList())
                        .map(items -> new LockedLines(lines, index(items))));
    }

    private Uni<Void> orderEvent(String orderId, Object event) {
        return outbox.add(Messages.STOCK_EVENTS_EXCHANGE, "order", orderId, event).replaceWithVoid();
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

        Uni<Void> flush() {
            List<Object[]> events = new ArrayList<>();
            touched.values().forEach(item -> {
                if (item.available == availableBefore.get(item.sku)) {
                    return; // reserved moved only: availability unchanged
                }
                item.version++;
                events.add(new Object[]{item.sku, new StockEvents.StockChanged(item.sku, item.available, item.version)});
                if (item.available <= item.lowThreshold && !item.lowAlerted && item.available < availableBefore.get(item.sku)) {
                    item.lowAlerted = true;
                    events.add(new Object[]{item.sku, new StockEvents.LowStock(item.sku, item.available, item.lowThreshold)});
                } else if (item.available > item.lowThreshold) {
                    item.lowAlerted = false;
                }
            });
            return StockMovement.persist(movements)
                    .chain(() -> Multi.createFrom().iterable(events)
                            .onItem().transformToUniAndConcatenate(e -> outbox.add(Messages.STOCK_EVENTS_EXCHANGE, "sku", (String) e[0], e[1]))
                            .collect().last())
                    .replaceWithVoid();
        }
    }
}
