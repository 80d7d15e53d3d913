package com.sansam.commerce.catalog.service;

import com.sansam.commerce.catalog.model.Product;
import com.sansam.commerce.catalog.model.ProductOption;
import com.sansam.commerce.catalog.model.SkuAvailability;
import com.sansam.messages.Envelope;
import com.sansam.messages.StockEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Keeps the catalogue's availability view in step with the stock-worker's StockChanged events. */
@ApplicationScoped
public class AvailabilityService {

    /** What an applied event changed: the product whose option it is (null: unknown SKU), and whether it came back. */
    public record Change(boolean applied, Long productId, Product backInStock) {
        static final Change NONE = new Change(false, null, null);
    }

    /**
     * A SKU's availability as a message told it: a StockChanged, or one of the levels a StockReserved carries (the
     * reservation's StockChanged, folded in); {@code source} is that message.
     */
    public record News(Envelope source, StockEvents.StockChanged event) {}

    /**
     * What a batch of availability news did: the messages it left for {@link #stockChanged}, what changed, and
     * whether some SKU went in or out of stock (listings show only that, so only then are they stale).
     */
    public record Changes(
            List<Envelope> declined, Set<Long> products, Map<String, StockGate.Level> levels, boolean inStockFlipped) {

        public static final Changes NONE = new Changes(List.of(), Set.of(), Map.of(), false);
    }

    /** What a StockChanged does to the availability held for its SKU: the one rule both paths below apply. */
    enum Verdict {
        /** Not newer than what is held (events repeat and overtake each other): changes nothing. */
        STALE,
        /** Newer: the SKU takes the event's availability. */
        APPLY,
        /** Newer, and brings a sold-out SKU back: applied, and the product's wishers are told. */
        BACK_IN_STOCK;

        /** {@code heldAvailable}/{@code heldVersion}: what is held, or null when the SKU has no row yet. */
        static Verdict of(Integer heldAvailable, Long heldVersion, StockEvents.StockChanged event) {
            if (heldVersion != null && heldVersion >= event.version()) {
                return STALE;
            }
            return heldAvailable != null && heldAvailable == 0 && event.available() > 0 ? BACK_IN_STOCK : APPLY;
        }
    }

    private static final String LOCK_ROWS =
            "select sku, available, version from sku_availability where sku = any($1) for update";

    private static final String UPSERT = """
            insert into sku_availability (sku, available, version, updated_at)
            select s.sku, s.available, s.version, now() from unnest($1::text[], $2::int[], $3::bigint[]) as s(sku, available, version)
            on conflict (sku) do update set available = excluded.available, version = excluded.version, updated_at = now()
            where sku_availability.version < excluded.version""";

    /**
     * Applies many pieces of availability news in the transaction on {@code connection} (the busy path of a drop: one
     * state per SKU written, whatever the number of events), by {@link Verdict}: news older than what is held changes
     * nothing. News that brings a sold-out SKU back is left, with its message, to {@link #stockChanged} (with every
     * later news of that SKU), because it also tells the wishers (through the notices, which live on the Hibernate
     * session).
     */
    public Uni<Changes> stockChangedAll(SqlConnection connection, List<News> news) {
        String[] skus = news.stream().map(n -> n.event().sku()).distinct().toArray(String[]::new);
        return connection.preparedQuery(LOCK_ROWS).execute(Tuple.of(skus)).chain(rows -> {
            Map<String, long[]> held = new HashMap<>(); // sku -> {available, version}
            rows.forEach(row ->
                    held.put(row.getString("sku"), new long[] {row.getInteger("available"), row.getLong("version")}));
            Map<String, long[]> next = new LinkedHashMap<>();
            Set<String> left = new HashSet<>();
            java.util.LinkedHashSet<Envelope> declined = new java.util.LinkedHashSet<>();
            for (News piece : news) {
                StockEvents.StockChanged event = piece.event();
                long[] current = next.containsKey(event.sku()) ? next.get(event.sku()) : held.get(event.sku());
                Verdict verdict = current == null
                        ? Verdict.of(null, null, event)
                        : Verdict.of((int) current[0], current[1], event);
                if (left.contains(event.sku()) || verdict == Verdict.BACK_IN_STOCK) {
                    left.add(event.sku());
                    declined.add(piece.source());
                } else if (verdict == Verdict.APPLY) {
                    next.put(event.sku(), new long[] {event.available(), event.version()});
                }
            }
            if (next.isEmpty()) {
                return Uni.createFrom().item(new Changes(List.copyOf(declined), Set.of(), Map.of(), false));
            }
            boolean flipped = next.entrySet().stream()
                    .anyMatch(entry -> held.get(entry.getKey()) == null
                            || (held.get(entry.getKey())[0] > 0) != (entry.getValue()[0] > 0));
            String[] changed = next.keySet().toArray(String[]::new);
            Integer[] available = next.values().stream().map(v -> (int) v[0]).toArray(Integer[]::new);
            Long[] versions = next.values().stream().map(v -> v[1]).toArray(Long[]::new);
            // both sent at once (pipelined on the connection, in this order): the read does not wait for the write
            return Uni.combine()
                    .all()
                    .unis(
                            connection.preparedQuery(UPSERT).execute(Tuple.of(changed, available, versions)),
                            connection
                                    .preparedQuery("select distinct product_id from product_option where sku = any($1)")
                                    .execute(Tuple.of(changed)))
                    .with((upserted, products) -> products)
                    .map(products -> {
                        Set<Long> ids = new HashSet<>();
                        products.forEach(row -> ids.add(row.getLong(0)));
                        Map<String, StockGate.Level> now = new LinkedHashMap<>();
                        next.forEach((sku, state) -> now.put(sku, new StockGate.Level((int) state[0], state[1])));
                        return new Changes(List.copyOf(declined), ids, now, flipped);
                    });
        });
    }

    /**
     * Applies the event by {@link Verdict} (events may repeat or overtake each other). Runs inside the caller's
     * transaction; the caller evicts the product's cache entries after the commit.
     */
    public Uni<Change> stockChanged(StockEvents.StockChanged event) {
        return SkuAvailability.<SkuAvailability>findById(event.sku()).chain(current -> {
            Verdict verdict = current == null
                    ? Verdict.of(null, null, event)
                    : Verdict.of(current.available, current.version, event);
            if (verdict == Verdict.STALE) {
                return Uni.createFrom().item(Change.NONE);
            }
            boolean backInStock = verdict == Verdict.BACK_IN_STOCK;
            SkuAvailability row = current == null ? new SkuAvailability() : current;
            row.sku = event.sku();
            row.available = event.available();
            row.version = event.version();
            row.updatedAt = Instant.now();
            return row.persist().chain(() -> ProductOption.bySku(event.sku())).chain(option -> {
                if (option == null) {
                    return Uni.createFrom().item(new Change(true, null, null));
                }
                return (backInStock
                                ? Product.<Product>findById(option.productId)
                                : Uni.createFrom().<Product>nullItem())
                        .map(product -> new Change(true, option.productId, product));
            });
        });
    }
}
