package com.sansam.commerce.deal.service;

import com.sansam.commerce.deal.config.DealConfig;
import com.sansam.commerce.deal.model.DealMode;
import com.sansam.commerce.deal.model.DealStatus;
import com.sansam.contracts.StockCommands;
import com.sansam.contracts.problem.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rules of buying in a deal, in one place: it must have started and not ended, each SKU must be one of its lines
 * with units left, and the buyer's units in the deal's live orders stay within its per-buyer limit.
 * <p>
 * Placing checks twice: once without a lock, so that a rush on a sold-out deal is answered at once, and once in the
 * placing transaction holding the deal's row lock, so that the check and the order it admits are one step for all
 * buyers of the deal (parallel requests of one buyer included).
 */
@ApplicationScoped
public class DealPurchases {

    private static final String DEAL =
            "select status, starts_at, ends_at, per_buyer_limit, mode from deal where id = $1";

    /**
     * Per deal line: its price, units and what is held; and the buyer's: whether the email is verified, the verified
     * phone, and the units bought in this deal by the account or with that phone (whichever account held it then).
     */
    private static final String LINES = """
            with buyer as (select email_verified_at is not null as email_ok, verified_phone from users where id = $2)
            select l.sku, l.deal_price, l.quantity, %s as held,
                   (select coalesce(sum(%s), 0)::int from orders o join order_line ol on ol.order_pk = o.id
                    where o.deal_id = l.deal_id
                      and (o.user_id = $2 or o.buyer_phone = (select verified_phone from buyer)) and %s) as bought,
                   coalesce((select email_ok from buyer), false) as email_ok,
                   (select verified_phone from buyer) as buyer_phone
            from deal_line l where l.deal_id = $1""".formatted(DealReads.HELD, DealReads.LINE_UNITS, DealReads.LIVE_ORDER);

    /** What a buyer may buy in a deal: the deal price per SKU, and the verified phone the purchase counts against. */
    public record Admission(Map<String, Long> prices, String buyerPhone) {}

    private final DealClock clock;
    private final DealConfig config;
    /** Deal SKUs (pool names) seen sold out, until when (System.nanoTime) that is believed without asking again. */
    private final Map<String, Long> soldOut = new ConcurrentHashMap<>();

    private final WaitingRoom waitingRoom;

    public DealPurchases(DealClock clock, DealConfig config, WaitingRoom waitingRoom) {
        this.waitingRoom = waitingRoom;
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

    private static ApiException soldOut(long dealId, String sku) {
        return ApiException.conflict(
                "sold-out",
                "Sold out",
                "Deal " + dealId + " has no units of " + sku + " left",
                Map.of("sku", sku, "dealId", dealId));
    }

    /**
     * The deal price of each wanted SKU when {@code userId} may buy these units now; otherwise a 4xx problem:
     * {@code deal-not-started} (with {@code startsAt}), {@code deal-ended}, {@code deal-not-open},
     * {@code verification-required} (403, with what is {@code missing}: "email", "phone"), {@code sold-out} (with the
     * SKU) or {@code deal-limit} (with the limit and what the buyer holds already, by account or by verified phone).
     *
     * @param lock take the deal's row lock (only inside the placing transaction, on its connection)
     */
    public Uni<Admission> check(SqlClient client, boolean lock, long dealId, long userId, Map<String, Integer> wanted) {
        try {
            refuseKnownSoldOut(dealId, wanted); // learnt while this request waited for a connection or the lock
        } catch (ApiException soldOut) {
            return Uni.createFrom().failure(soldOut);
        }
        return client.preparedQuery(lock ? DEAL + " for update" : DEAL)
                .execute(Tuple.of(dealId))
                .chain(deals -> {
                    if (deals.size() == 0) {
                        throw ApiException.badRequest("items", "No deal " + dealId);
                    }
                    Row deal = deals.iterator().next();
                    refuseOutsideItsTime(dealId, deal);
                    int limit = deal.getInteger("per_buyer_limit");
                    Uni<Void> turn = switch (DealMode.valueOf(deal.getString("mode"))) {
                        case OPEN -> Uni.createFrom().voidItem();
                        case QUEUE -> waitingRoom.usePass(client, lock, dealId, userId);
                        case DRAW ->
                            Uni.createFrom()
                                    .failure(ApiException.conflict(
                                            "draw-deal",
                                            "Sold by draw",
                                            "Deal " + dealId
                                                    + " is sold by draw: its winners' orders are made for them",
                                            Map.of("dealId", dealId)));
                    };
                    return turn.chain(() -> client.preparedQuery(LINES)
                            .execute(Tuple.of(dealId, userId))
                            .map(lines -> {
                                Map<String, Row> bySku = new HashMap<>();
                                lines.forEach(line -> bySku.put(line.getString("sku"), line));
                                if (lines.size() == 0) {
                                    throw ApiException.badRequest("items", "Deal " + dealId + " has no lines");
                                }
                                Row buyer = lines.iterator().next();
                                refuseUnverified(buyer.getBoolean("email_ok"), buyer.getString("buyer_phone"));
                                int bought = buyer.getInteger("bought");
                                int total = wanted.values().stream()
                                        .mapToInt(Integer::intValue)
                                        .sum();
                                Map<String, Long> prices = new HashMap<>();
                                wanted.forEach((sku, qty) -> {
                                    Row line = bySku.get(sku);
                                    if (line == null) {
                                        throw ApiException.badRequest(
                                                "items", "SKU " + sku + " is not part of deal " + dealId);
                                    }
                                    prices.put(sku, line.getLong("deal_price"));
                                });
                                if (bought + total > limit) {
                                    throw ApiException.conflict(
                                            "deal-limit",
                                            "Per-buyer limit reached",
                                            "Each buyer may take " + limit + " unit(s) of this deal; you hold "
                                                    + bought,
                                            Map.of("dealId", dealId, "limit", limit, "bought", bought));
                                }
                                wanted.forEach((sku, qty) -> {
                                    Row line = bySku.get(sku);
                                    int remaining = line.getInteger("quantity") - line.getInteger("held");
                                    learnt(dealId, sku, remaining);
                                    if (remaining < qty) {
                                        throw soldOut(dealId, sku);
                                    }
                                });
                                return new Admission(prices, buyer.getString("buyer_phone"));
                            }));
                });
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
            throw ApiException.typed(
                    403,
                    "verification-required",
                    "Verification required",
                    "Deals sell to verified buyers: verify your " + String.join(" and ", missing) + " first",
                    Map.of("missing", missing));
        }
    }

    private void refuseOutsideItsTime(long dealId, Row deal) {
        Instant now = clock.now();
        DealStatus status = DealStatus.valueOf(deal.getString("status"));
        Instant startsAt = DealReads.instant(deal, "starts_at");
        Instant endsAt = DealReads.instant(deal, "ends_at");
        if (status == DealStatus.ENDED || !now.isBefore(endsAt)) {
            throw ApiException.conflict(
                    "deal-ended",
                    "Deal ended",
                    "Deal " + dealId + " has ended",
                    Map.of("dealId", dealId, "endsAt", endsAt.toString()));
        }
        if (now.isBefore(startsAt)) {
            throw ApiException.conflict(
                    "deal-not-started",
                    "Deal not started",
                    "Deal " + dealId + " starts at " + startsAt,
                    Map.of("dealId", dealId, "startsAt", startsAt.toString()));
        }
        if (status != DealStatus.OPEN) {
            throw ApiException.conflict(
                    "deal-not-open",
                    "Deal not open",
                    "Deal " + dealId + " is not open for sale",
                    Map.of("dealId", dealId));
        }
    }
}
