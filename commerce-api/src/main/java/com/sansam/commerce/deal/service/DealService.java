package com.sansam.commerce.deal.service;

import com.sansam.commerce.catalog.model.Product;
import com.sansam.commerce.catalog.model.ProductOption;
import com.sansam.commerce.catalog.model.ProductStatus;
import com.sansam.commerce.deal.model.Deal;
import com.sansam.commerce.deal.model.DealDtos.AdminDealView;
import com.sansam.commerce.deal.model.DealDtos.CreateDeal;
import com.sansam.commerce.deal.model.DealDtos.LinePatch;
import com.sansam.commerce.deal.model.DealDtos.LineRequest;
import com.sansam.commerce.deal.model.DealDtos.PatchDeal;
import com.sansam.commerce.deal.model.DealLine;
import com.sansam.commerce.deal.model.DealMode;
import com.sansam.commerce.deal.model.DealStatus;
import com.sansam.messages.StockCommands;
import com.sansam.messages.StockEvents;
import com.sansam.runtime.outbox.Outbox;
import com.sansam.runtime.outbox.OutboxRelay;
import com.sansam.runtime.problem.Refusal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The life of a deal, in one place: an admin opens it (its units are asked of the stock-worker, which sets them aside
 * or refuses), may edit it until it starts, and may end it early; its time ending ends it too ({@link DealJob}). An
 * ended deal's close goes to the stock-worker through the outbox in the same transaction, so its unsold units go
 * back to regular stock exactly once, whenever the stock-worker gets to it.
 */
@ApplicationScoped
public class DealService {

    private final Outbox outbox;
    private final OutboxRelay relay;
    private final DealClock clock;
    private final DealReads reads;
    private final Pool pool;
    private final DrawSeal seal;

    public DealService(Outbox outbox, OutboxRelay relay, DealClock clock, DealReads reads, Pool pool, DrawSeal seal) {
        this.pool = pool;
        this.seal = seal;
        this.outbox = outbox;
        this.relay = relay;
        this.clock = clock;
        this.reads = reads;
    }

    public Uni<AdminDealView> create(CreateDeal request) {
        Instant now = clock.now();
        refuseBadTimes(request.startsAt(), request.endsAt(), now);
        FairDropSettings.refuseBadSettings(request, now);
        Set<String> named = new HashSet<>();
        for (int i = 0; i < request.lines().size(); i++) {
            if (!named.add(request.lines().get(i).sku())) {
                throw Refusal.invalid(
                        "lines[" + i + "].sku", "SKU " + request.lines().get(i).sku() + " is named twice");
            }
        }
        return Panache.withTransaction(() -> Product.<Product>findById(request.productId())
                        .chain(product -> {
                            if (product == null || product.status != ProductStatus.ACTIVE) {
                                throw Refusal.invalid("productId", "No product " + request.productId() + " on sale");
                            }
                            return ProductOption.ofProducts(List.of(product.id)).chain(options -> {
                                Set<String> skus =
                                        options.stream().map(o -> o.sku).collect(Collectors.toSet());
                                for (int i = 0; i < request.lines().size(); i++) {
                                    LineRequest line = request.lines().get(i);
                                    if (!skus.contains(line.sku())) {
                                        throw Refusal.invalid(
                                                "lines[" + i + "].sku",
                                                "SKU " + line.sku() + " is not an option of product " + product.id);
                                    }
                                    refuseBadPrice("lines[" + i + "].dealPrice", line.dealPrice(), product.price);
                                }
                                Deal deal = new Deal();
                                deal.productId = product.id;
                                deal.title = request.title().strip();
                                deal.perBuyerLimit = request.perBuyerLimit();
                                deal.startsAt = request.startsAt();
                                deal.endsAt = request.endsAt();
                                deal.status = DealStatus.PENDING;
                                deal.revision = 1;
                                deal.createdAt = now;
                                deal.updatedAt = now;
                                FairDropSettings.apply(request, deal, seal);
                                return deal.<Deal>persist().chain(saved -> {
                                    List<DealLine> lines = request.lines().stream()
                                            .map(line -> {
                                                DealLine entity = new DealLine();
                                                entity.dealId = saved.id;
                                                entity.sku = line.sku();
                                                entity.dealPrice = line.dealPrice();
                                                entity.requestedQuantity = line.quantity();
                                                return entity;
                                            })
                                            .toList();
                                    return DealLine.persist(lines)
                                            .chain(() -> saved.mode == DealMode.QUEUE
                                                    ? Panache.getSession()
                                                            .chain(session -> session.createNativeQuery(
                                                                            "insert into deal_queue_state (deal_id) values (:deal)")
                                                                    .setParameter("deal", saved.id)
                                                                    .executeUpdate())
                                                            .replaceWithVoid()
                                                    : Uni.createFrom().voidItem())
                                            .chain(() -> askForUnits(saved, lines))
                                            .replaceWith(saved.id);
                                });
                            });
                        }))
                .invoke(relay::nudge)
                .chain(reads::adminView);
    }

    /** Edits a deal before its start only: price, quantity, times, limit, title. A new quantity is asked of the stock-worker. */
    public Uni<AdminDealView> patch(long id, PatchDeal patch) {
        Instant now = clock.now();
        return Panache.withTransaction(() -> Deal.lock(id).chain(deal -> {
                    if (deal == null) {
                        throw Refusal.notFound("No deal " + id);
                    }
                    if (deal.status == DealStatus.ENDED
                            || deal.status == DealStatus.REFUSED
                            || !now.isBefore(deal.startsAt)) {
                        throw Refusal.conflict(
                                "deal-started",
                                "Deal started",
                                "Deal " + id + " can no longer be edited: it is " + deal.state(now),
                                Map.of("dealId", id, "state", deal.state(now)));
                    }
                    Instant startsAt = patch.startsAt() == null ? deal.startsAt : patch.startsAt();
                    Instant endsAt = patch.endsAt() == null ? deal.endsAt : patch.endsAt();
                    refuseBadTimes(startsAt, endsAt, now);
                    FairDropSettings.patch(deal, patch);
                    return Product.<Product>findById(deal.productId)
                            .chain(product -> DealLine.of(id).chain(lines -> {
                                Map<String, DealLine> bySku =
                                        lines.stream().collect(Collectors.toMap(l -> l.sku, Function.identity()));
                                boolean moreOrFewer = false;
                                List<LinePatch> changes = patch.lines() == null ? List.of() : patch.lines();
                                for (int i = 0; i < changes.size(); i++) {
                                    LinePatch change = changes.get(i);
                                    DealLine line = bySku.get(change.sku());
                                    if (line == null) {
                                        throw Refusal.invalid(
                                                "lines[" + i + "].sku",
                                                "SKU " + change.sku() + " is not part of deal " + id);
                                    }
                                    if (change.dealPrice() != null) {
                                        refuseBadPrice("lines[" + i + "].dealPrice", change.dealPrice(), product.price);
                                        line.dealPrice = change.dealPrice();
                                    }
                                    if (change.quantity() != null && change.quantity() != line.requestedQuantity) {
                                        line.requestedQuantity = change.quantity();
                                        moreOrFewer = true;
                                    }
                                }
                                deal.startsAt = startsAt;
                                deal.endsAt = endsAt;
                                if (patch.title() != null && !patch.title().isBlank()) {
                                    deal.title = patch.title().strip();
                                }
                                if (patch.perBuyerLimit() != null) {
                                    deal.perBuyerLimit = patch.perBuyerLimit();
                                }
                                deal.updatedAt = now;
                                if (!moreOrFewer) {
                                    return Uni.createFrom().voidItem();
                                }
                                deal.revision++;
                                return askForUnits(deal, lines);
                            }));
                }))
                .invoke(relay::nudge)
                .chain(() -> reads.adminView(id));
    }

    /** Ends a deal now (an admin's DELETE, before or during it); ending an ended deal changes nothing. */
    public Uni<Void> endEarly(long id) {
        return Panache.withTransaction(() -> Deal.lock(id).chain(deal -> {
                    if (deal == null) {
                        throw Refusal.notFound("No deal " + id);
                    }
                    return end(deal, "ended early by an admin");
                }))
                .invoke(relay::nudge);
    }

    /** Ends deals whose time has passed (called by {@link DealJob}); answers how many. */
    public Uni<Integer> endDue() {
        return Panache.withTransaction(() -> Deal.<Deal>find(
                                "status in ?1 and endsAt <= ?2",
                                List.of(DealStatus.PENDING, DealStatus.OPEN),
                                clock.now())
                        .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                        .page(0, 50)
                        .list()
                        .call(deals -> Multi.createFrom()
                                .iterable(deals)
                                .onItem()
                                .transformToUniAndConcatenate(deal -> end(deal, "its time passed"))
                                .collect()
                                .last())
                        .map(List::size))
                .invoke(ended -> {
                    if (ended > 0) {
                        relay.nudge();
                    }
                });
    }

    /**
     * Asks the stock-worker again to close the ended deals it has not answered for {@code wait} (no DealClosed recorded:
     * a line's {@code returned} is unknown), e.g. because the close was dead-lettered by a fault since fixed. Closing is
     * once in the stock-worker, so asking twice is harmless; what a stranded deal's pools hold goes back to its SKUs.
     * Answers the ids of the deals asked.
     */
    public Uni<List<Long>> closeUnanswered(java.time.Duration wait) {
        return Panache.withTransaction(() -> Deal.<Deal>find(
                                """
                                from Deal d where d.status = ?1 and d.endedAt <= ?2
                                and exists (select 1 from DealLine l where l.dealId = d.id and l.returned is null)""", DealStatus.ENDED, clock.now().minus(wait))
                        .page(0, 100)
                        .list()
                        .call(deals -> Multi.createFrom()
                                .iterable(deals)
                                .onItem()
                                .transformToUniAndConcatenate(deal -> outbox.add(Deal.stockCommand(
                                        deal.id,
                                        new StockCommands.CloseDeal(deal.id, "asked again: " + deal.endReason))))
                                .collect()
                                .last())
                        .map(deals -> deals.stream().map(deal -> deal.id).toList()))
                .invoke(asked -> {
                    if (!asked.isEmpty()) {
                        relay.nudge();
                    }
                });
    }

    /** Call with the deal locked, in a transaction. */
    private Uni<Void> end(Deal deal, String reason) {
        if (deal.status == DealStatus.ENDED) {
            return Uni.createFrom().voidItem();
        }
        Instant now = clock.now();
        deal.status = DealStatus.ENDED;
        deal.endedAt = now;
        deal.endReason = reason;
        deal.updatedAt = now;
        return outbox.add(Deal.stockCommand(deal.id, new StockCommands.CloseDeal(deal.id, reason)))
                .replaceWithVoid();
    }

    /** A shopper asks to be told when an upcoming or live deal starts (repeating it changes nothing). */
    public Uni<Void> remindMe(long userId, long dealId) {
        return reads.shopperView(dealId).chain(deal -> {
            if ("ended".equals(deal.state())) {
                throw Refusal.conflict(
                        "deal-ended", "Deal ended", "Deal " + dealId + " has ended", Map.of("dealId", dealId));
            }
            return pool.preparedQuery(
                            "insert into deal_reminder (deal_id, user_id, created_at) values ($1, $2, now()) on conflict do nothing")
                    .execute(Tuple.of(dealId, userId))
                    .replaceWithVoid();
        });
    }

    public Uni<Void> forgetReminder(long userId, long dealId) {
        return pool.preparedQuery("delete from deal_reminder where deal_id = $1 and user_id = $2")
                .execute(Tuple.of(dealId, userId))
                .replaceWithVoid();
    }

    // ---------------------------------------------------------------------------------- stock-worker answers

    /** The stock-worker set the revision's units aside: they are the deal's now (an open deal, when it was pending). */
    public Uni<Void> setAside(StockEvents.DealStockSetAside event) {
        return Deal.lock(event.dealId()).chain(deal -> {
            if (deal == null || event.revision() <= deal.confirmedRevision) {
                return Uni.createFrom().voidItem(); // an answer overtaken by a newer one
            }
            deal.confirmedRevision = event.revision();
            deal.refusedSku = null;
            deal.refusedAvailable = null;
            deal.refusedAt = null;
            if (deal.status == DealStatus.PENDING || deal.status == DealStatus.REFUSED) {
                deal.status = DealStatus.OPEN;
            }
            deal.updatedAt = clock.now();
            Map<String, Integer> units =
                    event.lines().stream().collect(Collectors.toMap(StockCommands.Line::sku, StockCommands.Line::qty));
            return DealLine.of(deal.id)
                    .invoke(lines -> lines.forEach(line -> line.quantity = units.getOrDefault(line.sku, line.quantity)))
                    .replaceWithVoid();
        });
    }

    /**
     * The stock-worker refused the revision (too few units of a SKU). A deal never set aside is REFUSED (unless a newer
     * revision is still on its way); an open deal keeps the units it has and its asked-for quantities fall back to them.
     */
    public Uni<Void> refused(StockEvents.DealStockRefused event) {
        return Deal.lock(event.dealId()).chain(deal -> {
            if (deal == null || event.revision() <= deal.confirmedRevision) {
                return Uni.createFrom().voidItem();
            }
            deal.confirmedRevision = event.revision();
            deal.refusedSku = event.sku();
            deal.refusedAvailable = event.available();
            deal.refusedAt = clock.now();
            deal.updatedAt = deal.refusedAt;
            if (event.revision() < deal.revision) {
                return Uni.createFrom().voidItem();
            }
            if (deal.status == DealStatus.PENDING) {
                deal.status = DealStatus.REFUSED;
                return Uni.createFrom().voidItem();
            }
            return DealLine.of(deal.id)
                    .invoke(lines -> lines.forEach(line -> line.requestedQuantity = Math.max(1, line.quantity)))
                    .replaceWithVoid();
        });
    }

    /** The stock-worker closed the deal: record what went back to regular stock. */
    public Uni<Void> closed(StockEvents.DealClosed event) {
        Map<String, Integer> returned =
                event.returned().stream().collect(Collectors.toMap(StockCommands.Line::sku, StockCommands.Line::qty));
        return DealLine.of(event.dealId())
                .invoke(lines -> lines.forEach(line -> line.returned = returned.getOrDefault(line.sku, 0)))
                .replaceWithVoid();
    }

    // ------------------------------------------------------------------------------------------------

    private Uni<Void> askForUnits(Deal deal, List<DealLine> lines) {
        List<StockCommands.Line> units = lines.stream()
                .map(l -> new StockCommands.Line(l.sku, l.requestedQuantity))
                .toList();
        return outbox.add(
                        Deal.stockCommand(deal.id, new StockCommands.SetAsideDealStock(deal.id, deal.revision, units)))
                .replaceWithVoid();
    }

    private static void refuseBadTimes(Instant startsAt, Instant endsAt, Instant now) {
        if (!endsAt.isAfter(startsAt)) {
            throw Refusal.invalid("endsAt", "endsAt must be after startsAt");
        }
        if (!endsAt.isAfter(now)) {
            throw Refusal.invalid("endsAt", "endsAt must be in the future");
        }
    }

    private static void refuseBadPrice(String field, long dealPrice, long regularPrice) {
        if (dealPrice >= regularPrice) {
            throw Refusal.invalid(
                    field, "The deal price " + dealPrice + " must be below the regular price " + regularPrice);
        }
    }
}
