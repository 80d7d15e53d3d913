package com.sansam.commerce.deal.service;

import com.sansam.commerce.deal.config.DealConfig;
import com.sansam.commerce.deal.model.DealMode;
import com.sansam.commerce.deal.model.DealStatus;
import com.sansam.messages.StockCommands;
import com.sansam.runtime.problem.Refusal;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rules of buying in a deal, in one place: it must have started and not ended, a waiting room's deal needs the
 * buyer's pass, each SKU must be one of its lines with units left at the price the buyer saw, the buyer must be
 * verified, and the buyer's units in the deal's live orders stay within its per-buyer limit.
 * <p>
 * The rules are one SQL statement, {@link #VERDICT}: its {@code ok} decides, and the rows it returns explain a refusal
 * ({@link #decide}). Placing uses it twice: once without a lock ({@link #precheck}), so that a rush on a sold-out deal
 * is answered at once, and once right after taking the deal's row lock, in the statement that writes the order only
 * when {@code ok} holds, so that the check and the order it admits are one step for all buyers of the deal (parallel
 * requests of one buyer included). That statement is a new statement after the lock, so it reads every order
 * committed by the lock's previous holder.
 */
@ApplicationScoped
public class DealPurchases {

    /** Takes the deal's row lock, in the placing transaction before {@link #VERDICT}. Binds the deal at $1. */
    public static final String LOCK = "select 1 from deal where id = $1 for update";

    /**
     * The CTEs {@code d} (the deal), {@code verdict} (the deal's and the buyer's facts), {@code lines} (per wanted SKU:
     * quantity, price seen, deal price, units left) and {@code ok} (whether the order may be placed). Binds $1 the
     * deal, $2 the buyer, $3 now, $4 the SKUs, $5 their quantities, $6 the prices seen.
     */
    public static final String VERDICT = """
            with d as (select status, starts_at, ends_at, per_buyer_limit, mode from deal where id = $1),
            buyer as (select email_verified_at is not null as email_ok, verified_phone from users where id = $2),
            w as (select * from unnest($4::text[], $5::int[], $6::bigint[]) as w(sku, qty, seen)),
            lines as (select w.sku, w.qty, w.seen, l.deal_price, l.quantity - %s as remaining
                      from w left join deal_line l on l.deal_id = $1 and l.sku = w.sku),
            verdict as (
                select d.status, d.starts_at, d.ends_at, d.per_buyer_limit, d.mode,
                       coalesce(b.email_ok, false) as email_ok, b.verified_phone as buyer_phone,
                       (select coalesce(sum(%s), 0)::int from orders o join order_line ol on ol.order_pk = o.id
                        where o.deal_id = $1 and (o.user_id = $2 or o.buyer_phone = b.verified_phone) and %s) as bought,
                       exists (select 1 from deal_queue q where q.deal_id = $1 and q.user_id = $2
                               and q.admitted_at is not null and q.used_at is null and q.pass_expires_at > $3) as pass_ok
                from d left join buyer b on true),
            ok as (
                select v.status = 'OPEN' and $3 >= v.starts_at and $3 < v.ends_at
                       and (v.mode = 'OPEN' or (v.mode = 'QUEUE' and v.pass_ok))
                       and v.email_ok and v.buyer_phone is not null
                       and v.bought + (select sum(qty) from w) <= v.per_buyer_limit
                       and not exists (select 1 from lines
                                       where deal_price is null or remaining < qty or deal_price <> seen) as ok
                from verdict v)""".formatted(DealReads.HELD, DealReads.LINE_UNITS, DealReads.LIVE_ORDER);

    /** What {@link #decide} reads: one row per wanted SKU (none when there is no such deal). */
    public static final String VERDICT_ROWS = """
            select v.status, v.starts_at, v.ends_at, v.per_buyer_limit, v.mode, v.email_ok, v.buyer_phone, v.bought,
                   v.pass_ok, ok.ok, l.sku, l.qty, l.seen, l.deal_price, l.remaining
            from verdict v, ok, lines l""";

    /**
     * Uses the buyer's pass of a waiting room's deal, in the statement that places the order, when {@code ok} holds.
     */
    public static final String USE_PASS = """
            used as (update deal_queue set used_at = $3 where deal_id = $1 and user_id = $2 and admitted_at is not null
                     and used_at is null and pass_expires_at > $3 and (select ok from ok)
                     and (select mode from d) = 'QUEUE' returning 1)""";

    /** What a buyer may buy in a deal: the deal price per SKU, and the verified phone the purchase counts against. */
    public record Admission(Map<String, Long> prices, String buyerPhone) {}

    /** What a buyer asks for: quantity and the price seen, per SKU. */
    public record Wanted(Map<String, Integer> quantities, Map<String, Long> seenPrices) {

        int total() {
            return quantities.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final DealClock clock;
    private final DealConfig config;
    /** Deal SKUs (pool names) seen sold out, until when (System.nanoTime) that is believed without asking again. */
    private final Map<String, Long> soldOut = new ConcurrentHashMap<>();

    public DealPurchases(DealClock clock, DealConfig config) {
        this.clock = clock;
        this.config = config;
    }

    /**
     * Refuses at once, without any I/O, SKUs of the deal that a committed read on this replica found sold out less than
     * {@code sansam.deals.sold-out-hint} ago. Only a hint: the locked check decides; a unit that comes back is
     * offered again once the hint has run out.
     */
    public void refuseKnownSoldOut(long dealId, Map<String, Integer> wanted) {
        long now = System.nanoTime();
        for (String sku : wanted.keySet()) {
            Long until = soldOut.get(StockCommands.poolSku(dealId, sku));
            if (until != null && until - now > 0) {
                throw soldOut(dealId, sku);
            }
        }
    }

    /** A committed read found what a deal's SKUs have left (the stream's reads report here too). */
    public void learnt(long dealId, String sku, int remaining) {
        String pool = StockCommands.poolSku(dealId, sku);
        if (remaining <= 0) {
            soldOut.put(pool, System.nanoTime() + config.soldOutHint().toNanos());
        } else {
            soldOut.remove(pool);
        }
    }

    private static Refusal soldOut(long dealId, String sku) {
        return Refusal.conflict(
                "sold-out",
                "Sold out",
                "Deal " + dealId + " has no units of " + sku + " left",
                Map.of("sku", sku, "dealId", dealId));
    }

    /** The deal's clock: the {@code now} that {@link #params} binds. */
    public Instant now() {
        return clock.now();
    }

    /** The parameters $1 to $6 of {@link #VERDICT}. */
    public static Tuple params(long dealId, long userId, Instant now, Wanted wanted) {
        String[] skus = wanted.quantities().keySet().toArray(String[]::new);
        Integer[] quantities = new Integer[skus.length];
        Long[] seen = new Long[skus.length];
        for (int i = 0; i < skus.length; i++) {
            quantities[i] = wanted.quantities().get(skus[i]);
            seen[i] = wanted.seenPrices().get(skus[i]);
        }
        return Tuple.tuple()
                .addLong(dealId)
                .addLong(userId)
                .addValue(now.atOffset(ZoneOffset.UTC))
                .addValue(skus)
                .addValue(quantities)
                .addValue(seen);
    }

    /**
     * The deal price of each wanted SKU when {@code userId} may buy these units now (read without a lock: a hint that
     * spares refused buyers the lock; the placing statement decides); otherwise the problem {@link #decide} gives.
     */
    public Uni<Admission> precheck(SqlClient client, long dealId, long userId, Wanted wanted) {
        try {
            refuseKnownSoldOut(dealId, wanted.quantities());
        } catch (Refusal soldOut) {
            return Uni.createFrom().failure(soldOut);
        }
        Instant now = clock.now();
        return client.preparedQuery(VERDICT + "\n" + VERDICT_ROWS)
                .execute(params(dealId, userId, now, wanted))
                .map(rows -> decide(rows, dealId, now, wanted));
    }

    /**
     * Reads the rows of {@link #VERDICT_ROWS}: the admission when {@code ok} holds, otherwise a 4xx problem, in this
     * order: no such deal (400), {@code deal-ended}, {@code deal-not-started} (with {@code startsAt}),
     * {@code deal-not-open}, {@code not-admitted} (a waiting room's deal without a live pass), {@code draw-deal},
     * {@code verification-required} (403, with what is {@code missing}: "email", "phone"), a SKU not in the deal
     * (400), {@code deal-limit} (with the limit and what the buyer holds already, by account or by verified phone),
     * {@code sold-out} (with the SKU), a changed price (409 with the current and the seen price).
     */
    public Admission decide(RowSet<Row> rows, long dealId, Instant now, Wanted wanted) {
        if (rows.size() == 0) {
            throw Refusal.invalid("items", "No deal " + dealId);
        }
        Row deal = rows.iterator().next();
        refuseOutsideItsTime(dealId, deal, now);
        switch (DealMode.valueOf(deal.getString("mode"))) {
            case OPEN -> {}
            case QUEUE -> {
                if (!deal.getBoolean("pass_ok")) {
                    throw WaitingRoom.notAdmitted(dealId);
                }
            }
            case DRAW ->
                throw Refusal.conflict(
                        "draw-deal",
                        "Sold by draw",
                        "Deal " + dealId + " is sold by draw: its winners' orders are made for them",
                        Map.of("dealId", dealId));
        }
        refuseUnverified(deal.getBoolean("email_ok"), deal.getString("buyer_phone"));
        Map<String, Long> prices = new HashMap<>();
        for (Row line : rows) {
            if (line.getLong("deal_price") == null) {
                throw Refusal.invalid("items", "SKU " + line.getString("sku") + " is not part of deal " + dealId);
            }
            prices.put(line.getString("sku"), line.getLong("deal_price"));
        }
        int bought = deal.getInteger("bought");
        int limit = deal.getInteger("per_buyer_limit");
        if (bought + wanted.total() > limit) {
            throw Refusal.conflict(
                    "deal-limit",
                    "Per-buyer limit reached",
                    "Each buyer may take " + limit + " unit(s) of this deal; you hold " + bought,
                    Map.of("dealId", dealId, "limit", limit, "bought", bought));
        }
        for (Row line : rows) {
            String sku = line.getString("sku");
            int remaining = line.getInteger("remaining");
            learnt(dealId, sku, remaining);
            if (remaining < line.getInteger("qty")) {
                throw soldOut(dealId, sku);
            }
        }
        for (Row line : rows) {
            Long seen = line.getLong("seen");
            if (!line.getLong("deal_price").equals(seen)) {
                String sku = line.getString("sku");
                throw Refusal.conflict(
                        "The price of " + sku + " changed",
                        Map.of("sku", sku, "currentPrice", line.getLong("deal_price"), "seenPrice", seen));
            }
        }
        if (!Boolean.TRUE.equals(deal.getBoolean("ok"))) { // the statement and this method disagree: a bug
            throw new IllegalStateException("Deal " + dealId + ": the rules refused an order that decide() admits");
        }
        return new Admission(prices, deal.getString("buyer_phone"));
    }

    /** One person, one buyer: a deal sells only to accounts with a verified email and a verified mobile number. */
    static void refuseUnverified(boolean emailVerified, String verifiedPhone) {
        List<String> missing = new ArrayList<>();
        if (!emailVerified) {
            missing.add("email");
        }
        if (verifiedPhone == null) {
            missing.add("phone");
        }
        if (!missing.isEmpty()) {
            throw Refusal.typed(
                    Refusal.Reason.FORBIDDEN,
                    "verification-required",
                    "Verification required",
                    "Deals sell to verified buyers: verify your " + String.join(" and ", missing) + " first",
                    Map.of("missing", missing));
        }
    }

    private static void refuseOutsideItsTime(long dealId, Row deal, Instant now) {
        DealStatus status = DealStatus.valueOf(deal.getString("status"));
        Instant startsAt = DealReads.instant(deal, "starts_at");
        Instant endsAt = DealReads.instant(deal, "ends_at");
        if (status == DealStatus.ENDED || !now.isBefore(endsAt)) {
            throw Refusal.conflict(
                    "deal-ended",
                    "Deal ended",
                    "Deal " + dealId + " has ended",
                    Map.of("dealId", dealId, "endsAt", endsAt.toString()));
        }
        if (now.isBefore(startsAt)) {
            throw Refusal.conflict(
                    "deal-not-started",
                    "Deal not started",
                    "Deal " + dealId + " starts at " + startsAt,
                    Map.of("dealId", dealId, "startsAt", startsAt.toString()));
        }
        if (status != DealStatus.OPEN) {
            throw Refusal.conflict(
                    "deal-not-open",
                    "Deal not open",
                    "Deal " + dealId + " is not open for sale",
                    Map.of("dealId", dealId));
        }
    }
}
