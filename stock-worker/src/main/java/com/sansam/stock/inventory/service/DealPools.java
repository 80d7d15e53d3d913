package com.sansam.stock.inventory.service;

import com.sansam.messages.Messages;
import com.sansam.messages.StockCommands;
import com.sansam.messages.StockEvents;
import com.sansam.runtime.outbox.Outbox;
import com.sansam.stock.inventory.model.DealPool;
import com.sansam.stock.inventory.model.StockItem;
import com.sansam.stock.inventory.model.StockMovement.Kind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The units set aside for time deals: each deal SKU's pool is a stock row of its own ({@code <sku>#deal-<id>}) that
 * units move into and out of. Runs inside the caller's transaction, like {@link StockService}.
 */
@ApplicationScoped
public class DealPools {

    private final Outbox outbox;

    public DealPools(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Sets a deal's pools to the revision's quantities, moving units between each SKU and its pool: all lines or none.
     * Answers DealStockSetAside, or DealStockRefused naming the first SKU without enough units (and how many the
     * deal could hold). A closed deal, or a revision not newer than the last applied, changes nothing.
     */
    public Uni<Void> setAside(StockCommands.SetAsideDealStock command) {
        long dealId = command.dealId();
        Map<String, Integer> wanted = StockChanges.merge(command.lines());
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
                                Map<String, StockItem> index = StockChanges.index(items);
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
                                StockChanges changes = new StockChanges(outbox);
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
     * pool later (an unpaid order expiring, a cancel) go to the SKU at once ({@code StockService}: the units of a closed pool return with them).
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
                                    : StockItem.lockAll(skus).map(StockChanges::index);
                            return locked.chain(index -> {
                                StockChanges changes = new StockChanges(outbox);
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
}
