package com.sansam.commerce.deal.service;

import com.sansam.commerce.deal.model.DealDtos.DrawEntry;
import com.sansam.commerce.deal.model.DealDtos.DrawProof;
import com.sansam.commerce.deal.model.DealDtos.DrawnEntrant;
import com.sansam.commerce.deal.model.DealDtos.SkuUnits;
import com.sansam.commerce.notification.service.NotificationTriggers;
import com.sansam.runtime.db.PgErrors;
import com.sansam.runtime.problem.Refusal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Draw deals: entries in a window (one per buyer and per verified phone, withdrawable until the close), the draw at
 * the close under the deal's row lock (so no entry slips in after it), and units passed on in the drawn order when a
 * winner does not pay. The winners' orders are made by the order feature ({@code DrawOrders}) from the entries
 * offered a unit; until then an offered entry holds its unit ({@link DealReads#HELD}).
 */
@ApplicationScoped
public class Draws {

    private static final Logger LOG = Logger.getLogger(Draws.class);

    public static final String RULE =
            "Order: entrants sorted by lowercase hex SHA-256 of (seed as lowercase hex + ':' +"
                    + " ticket), ascending. Winners: walking that order, an entrant is given a unit when the SKU entered for"
                    + " still has one (units per SKU as listed); an unpaid winner's unit goes to the next entrant in that order"
                    + " who entered for the same SKU. Check: SHA-256 of the seed's bytes equals the commitment.";

    /** The deal (share-locked: the draw takes it exclusively) and the buyer, for entering and withdrawing. */
    private static final String ENTERING = """
            select d.mode, d.status, d.entries_open_at, d.entries_close_at, d.drawn_at,
                   u.email_verified_at is not null as email_ok, u.verified_phone, u.ship_address1,
                   exists (select 1 from deal_line l where l.deal_id = d.id and l.sku = $3) as sku_ok
            from deal d, users u where d.id = $1 and u.id = $2 for share of d""";

    private static final String MINE = """
            select e.id, e.ticket, e.sku, e.entered_at, e.rank, e.offered_at, o.order_id, o.expires_at, o.status,
                   d.drawn_at, d.status as deal_status, d.ends_at,
                   (select count(*) from deal_entry b where b.deal_id = e.deal_id and b.sku = e.sku
                      and b.offered_at is null and b.rank < e.rank)::int as ahead
            from deal_entry e join deal d on d.id = e.deal_id left join orders o on o.id = e.order_pk
            where e.deal_id = $1 and e.user_id = $2""";

    private final Pool pool;
    private final DealClock clock;
    private final DrawSeal seal;
    private final NotificationTriggers notices;

    public Draws(Pool pool, DealClock clock, DrawSeal seal, NotificationTriggers notices) {
        this.pool = pool;
        this.clock = clock;
        this.seal = seal;
        this.notices = notices;
    }

    // ------------------------------------------------------------------------------------------ entrants

    /**
     * Enters the buyer for {@code sku} (again: the same entry, for the SKU now named). 409 {@code not-a-draw},
     * {@code entries-not-open} (with {@code entriesOpenAt}), {@code entries-closed}, {@code already-entered} (the
     * verified phone entered through another account); 403 {@code verification-required}; 400 for a SKU not in the
     * deal or no shipping address in the profile (the winner's order is sent there).
     */
    public Uni<DrawEntry> enter(long userId, long dealId, String sku) {
        Instant now = clock.now();
        return pool.withTransaction(connection -> window(connection, dealId, userId, sku, now)
                        .chain(buyer -> {
                            if (!buyer.getBoolean("sku_ok")) {
                                throw Refusal.invalid("sku", "SKU " + sku + " is not part of deal " + dealId);
                            }
                            if (buyer.getString("ship_address1") == null) {
                                throw Refusal.invalid(
                                        "shippingAddress",
                                        "Add a shipping address to your profile: a winner's order goes there");
                            }
                            return connection
                                    .preparedQuery("""
                                    insert into deal_entry (deal_id, user_id, buyer_phone, sku, ticket, entered_at)
                                    values ($1, $2, $3, $4, $5, $6)
                                    on conflict (deal_id, user_id) do update set sku = excluded.sku""")
                                    .execute(Tuple.tuple()
                                            .addLong(dealId)
                                            .addLong(userId)
                                            .addString(buyer.getString("verified_phone"))
                                            .addString(sku)
                                            .addString(DrawSeal.newTicket())
                                            .addValue(WaitingRoom.utc(now)));
                        }))
                .onFailure(PgErrors::isUniqueViolation)
                .transform(clash -> Refusal.conflict(
                        "already-entered",
                        "Already entered",
                        "Your verified phone already entered this draw through another account",
                        Map.of("dealId", dealId)))
                .chain(() -> entry(userId, dealId));
    }

    /** Withdraws the buyer's entry before the close (withdrawing none changes nothing). */
    public Uni<Void> withdraw(long userId, long dealId) {
        Instant now = clock.now();
        return pool.withTransaction(connection -> window(connection, dealId, userId, "", now)
                .chain(buyer -> connection
                        .preparedQuery("delete from deal_entry where deal_id = $1 and user_id = $2")
                        .execute(Tuple.of(dealId, userId))
                        .replaceWithVoid()));
    }

    /** Within the entry window, the deal share-locked, the buyer verified: the buyer's row; else the problem. */
    private static Uni<Row> window(SqlConnection connection, long dealId, long userId, String sku, Instant now) {
        return connection
                .preparedQuery(ENTERING)
                .execute(Tuple.of(dealId, userId, sku))
                .map(rows -> {
                    Row deal = rows.size() == 0 ? null : rows.iterator().next();
                    if (deal == null || List.of("PENDING", "REFUSED").contains(deal.getString("status"))) {
                        throw Refusal.notFound("No deal " + dealId);
                    }
                    if (!"DRAW".equals(deal.getString("mode"))) {
                        throw Refusal.conflict(
                                "not-a-draw",
                                "Not a draw",
                                "Deal " + dealId + " is not sold by draw",
                                Map.of("dealId", dealId, "mode", deal.getString("mode")));
                    }
                    Instant opens = DealReads.instant(deal, "entries_open_at");
                    Instant closes = DealReads.instant(deal, "entries_close_at");
                    if (now.isBefore(opens)) {
                        throw Refusal.conflict(
                                "entries-not-open",
                                "Entries not open",
                                "Entries for deal " + dealId + " open at " + opens,
                                Map.of("dealId", dealId, "entriesOpenAt", opens.toString()));
                    }
                    if (!now.isBefore(closes)
                            || deal.getOffsetDateTime("drawn_at") != null
                            || "ENDED".equals(deal.getString("status"))) {
                        throw Refusal.conflict(
                                "entries-closed",
                                "Entries closed",
                                "Entries for deal " + dealId + " closed at " + closes,
                                Map.of("dealId", dealId, "entriesCloseAt", closes.toString()));
                    }
                    DealPurchases.refuseUnverified(deal.getBoolean("email_ok"), deal.getString("verified_phone"));
                    return deal;
                });
    }

    /** The buyer's entry and its result. */
    public Uni<DrawEntry> entry(long userId, long dealId) {
        return pool.preparedQuery(MINE).execute(Tuple.of(dealId, userId)).map(rows -> {
            if (rows.size() == 0) {
                return new DrawEntry(dealId, "not-entered", null, null, null, null, null, null, null);
            }
            Row e = rows.iterator().next();
            boolean drawn = e.getOffsetDateTime("drawn_at") != null;
            boolean offered = e.getOffsetDateTime("offered_at") != null;
            boolean over = "ENDED".equals(e.getString("deal_status"))
                    || !clock.now().isBefore(DealReads.instant(e, "ends_at"));
            String state = offered ? "won" : over ? "not-selected" : drawn ? "in-line" : "entered";
            return new DrawEntry(
                    dealId,
                    state,
                    e.getString("ticket"),
                    e.getString("sku"),
                    DealReads.instant(e, "entered_at"),
                    e.getInteger("rank"),
                    "in-line".equals(state) ? e.getInteger("ahead") : null,
                    offered ? e.getString("order_id") : null,
                    offered ? DealReads.instant(e, "expires_at") : null);
        });
    }

    /** The public proof of a draw deal (before the draw: the commitment and the entry count only). */
    public Uni<DrawProof> proof(long dealId) {
        return pool.preparedQuery("""
                        select d.mode, d.status, d.draw_commitment, d.entries_open_at, d.entries_close_at, d.drawn_at,
                               d.draw_seed, (select count(*) from deal_entry e where e.deal_id = d.id)::int as entries
                        from deal d where d.id = $1""").execute(Tuple.of(dealId)).chain(rows -> {
            Row d = rows.size() == 0 ? null : rows.iterator().next();
            if (d == null
                    || !"DRAW".equals(d.getString("mode"))
                    || List.of("PENDING", "REFUSED").contains(d.getString("status"))) {
                throw Refusal.notFound("No draw deal " + dealId);
            }
            String seed = d.getString("draw_seed");
            Uni<List<DrawnEntrant>> order = seed == null
                    ? Uni.createFrom().item(List.of())
                    : pool.preparedQuery("""
                                            select rank, ticket, sku, offered_at is not null as offered from deal_entry
                                            where deal_id = $1 order by rank""").execute(Tuple.of(dealId)).map(entrants -> {
                        List<DrawnEntrant> list = new ArrayList<>();
                        entrants.forEach(r -> list.add(new DrawnEntrant(
                                r.getInteger("rank"),
                                r.getString("ticket"),
                                r.getString("sku"),
                                r.getBoolean("offered"))));
                        return list;
                    });
            // before the draw, neither the order nor the units are shown: neither is read
            Uni<List<SkuUnits>> shown = seed == null ? Uni.createFrom().item(List.of()) : units(dealId);
            return order.chain(entrants -> shown.map(units -> new DrawProof(
                    dealId,
                    d.getString("draw_commitment"),
                    DealReads.instant(d, "entries_open_at"),
                    DealReads.instant(d, "entries_close_at"),
                    d.getInteger("entries"),
                    DealReads.instant(d, "drawn_at"),
                    seed,
                    RULE,
                    units,
                    entrants)));
        });
    }

    private Uni<List<SkuUnits>> units(long dealId) {
        return pool.preparedQuery("select sku, quantity from deal_line where deal_id = $1 order by sku")
                .execute(Tuple.of(dealId))
                .map(rows -> {
                    List<SkuUnits> units = new ArrayList<>();
                    rows.forEach(r -> units.add(new SkuUnits(r.getString("sku"), r.getInteger("quantity"))));
                    return units;
                });
    }

    // ------------------------------------------------------------------------------------------ the clock

    /** Draws every open draw deal whose entries closed; answers how many were drawn. */
    public Uni<Integer> drawDue() {
        return dueDeals("""
                        select id from deal where mode = 'DRAW' and status = 'OPEN' and drawn_at is null
                        and entries_close_at <= $1""").chain(ids -> each(ids, this::draw).map(ignored -> ids.size()));
    }

    /** One deal's draw, under its row lock: reveal the seed, rank every entrant, offer the units in that order. */
    Uni<Void> draw(long dealId) {
        Instant now = clock.now();
        return pool.withTransaction(connection -> connection
                .preparedQuery("""
                        select draw_seed_sealed, draw_commitment from deal
                        where id = $1 and drawn_at is null and status = 'OPEN' for update""")
                .execute(Tuple.of(dealId))
                .chain(deals -> {
                    if (deals.size() == 0) {
                        return Uni.createFrom().voidItem(); // drawn by another replica meanwhile
                    }
                    String seed = seal.unseal(deals.iterator().next().getString("draw_seed_sealed"));
                    if (!DrawSeal.commitment(seed)
                            .equals(deals.iterator().next().getString("draw_commitment"))) {
                        throw new IllegalStateException("Deal " + dealId + ": the seed does not match its commitment");
                    }
                    return connection
                            .preparedQuery("select id, ticket, sku from deal_entry where deal_id = $1")
                            .execute(Tuple.of(dealId))
                            .chain(entries -> units(dealId).chain(units -> {
                                Map<String, Long> ids = new HashMap<>();
                                Map<String, String> skus = new HashMap<>();
                                entries.forEach(r -> {
                                    ids.put(r.getString("ticket"), r.getLong("id"));
                                    skus.put(r.getString("ticket"), r.getString("sku"));
                                });
                                Map<String, Integer> left = new LinkedHashMap<>();
                                units.forEach(u -> left.put(u.sku(), u.units()));
                                List<String> order = DrawSeal.drawnOrder(seed, ids.keySet());
                                Long[] entryIds = new Long[order.size()];
                                Integer[] ranks = new Integer[order.size()];
                                Boolean[] won = new Boolean[order.size()];
                                for (int i = 0; i < order.size(); i++) {
                                    String ticket = order.get(i);
                                    entryIds[i] = ids.get(ticket);
                                    ranks[i] = i + 1;
                                    int units1 = left.getOrDefault(skus.get(ticket), 0);
                                    won[i] = units1 > 0;
                                    if (won[i]) {
                                        left.put(skus.get(ticket), units1 - 1);
                                    }
                                }
                                return connection
                                        .preparedQuery("""
                                                update deal_entry e set rank = v.rank,
                                                    offered_at = case when v.won then $1::timestamptz end
                                                from unnest($2::bigint[], $3::int[], $4::bool[]) as v(id, rank, won)
                                                where e.id = v.id""")
                                        .execute(Tuple.of(WaitingRoom.utc(now), entryIds, ranks, won))
                                        .chain(() -> connection
                                                .preparedQuery(
                                                        "update deal set drawn_at = $2, draw_seed = $3, updated_at = $2 where id = $1")
                                                .execute(Tuple.of(dealId, WaitingRoom.utc(now), seed)))
                                        .invoke(() -> LOG.infof(
                                                "Deal %d drawn: %d entrants, seed %s", dealId, order.size(), seed))
                                        .replaceWithVoid();
                            }));
                }));
    }

    /**
     * Units that came back (a winner's order lapsed unpaid, or was cancelled) go to the next entrants in the drawn
     * order for the same SKU, under the deal's row lock so that each unit is offered once. Answers how many.
     */
    public Uni<Integer> passOn() {
        return dueDeals("""
                        select id from deal where mode = 'DRAW' and status = 'OPEN' and drawn_at is not null
                        and ends_at > $1""")
                .chain(ids -> Multi.createFrom()
                        .iterable(ids)
                        .onItem()
                        .transformToUniAndConcatenate(this::passOn)
                        .collect()
                        .with(java.util.stream.Collectors.summingInt(Integer::intValue)));
    }

    private Uni<Integer> passOn(long dealId) {
        Instant now = clock.now();
        return pool.withTransaction(connection -> connection
                .preparedQuery("select 1 from deal where id = $1 and status = 'OPEN' for update")
                .execute(Tuple.of(dealId))
                .chain(locked -> locked.size() == 0
                        ? Uni.createFrom().item(0)
                        : connection
                                .preparedQuery("""
                                        with free as (
                                            select l.sku, greatest(l.quantity - %s, 0) as units
                                            from deal_line l where l.deal_id = $1),
                                        next as (
                                            select e.id, row_number() over (partition by e.sku order by e.rank) as n,
                                                   f.units
                                            from deal_entry e join free f on f.sku = e.sku
                                            where e.deal_id = $1 and e.offered_at is null and f.units > 0)
                                        update deal_entry e set offered_at = $2 from next
                                        where e.id = next.id and next.n <= next.units
                                        returning e.id""".formatted(DealReads.HELD))
                                .execute(Tuple.of(dealId, WaitingRoom.utc(now)))
                                .map(offered -> offered.size())));
    }

    /** Entrants without a unit hear the result once per drawn deal (after the draw's transaction). */
    public Uni<Void> tellNotSelected() {
        return dueDeals("select id from deal where mode = 'DRAW' and drawn_at <= $1 and draw_told_at is null")
                .chain(ids -> each(
                        ids,
                        dealId -> Panache.withTransaction(() -> Panache.getSession()
                                .chain(session -> session.createNativeQuery(
                                                "select title from deal where id = :deal and draw_told_at is null for update",
                                                String.class)
                                        .setParameter("deal", dealId)
                                        .getResultList()
                                        .chain(titles -> titles.isEmpty()
                                                ? Uni.createFrom().voidItem()
                                                : session.createNativeQuery(
                                                                "update deal set draw_told_at = now() where id = :deal")
                                                        .setParameter("deal", dealId)
                                                        .executeUpdate()
                                                        .chain(() ->
                                                                notices.drawNotSelected(dealId, titles.get(0))))))));
    }

    private Uni<List<Long>> dueDeals(String query) {
        return pool.preparedQuery(query)
                .execute(Tuple.of(WaitingRoom.utc(clock.now())))
                .map(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getLong(0)));
                    return ids;
                });
    }

    private static Uni<Void> each(List<Long> ids, java.util.function.Function<Long, Uni<Void>> step) {
        return Multi.createFrom()
                .iterable(ids)
                .onItem()
                .transformToUniAndConcatenate(id -> step.apply(id))
                .collect()
                .last()
                .replaceWithVoid();
    }
}
