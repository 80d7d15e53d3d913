package com.sansam.commerce.deal.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sansam.commerce.deal.model.DealDtos.AdminDealView;
import com.sansam.commerce.deal.model.DealDtos.AdminLineView;
import com.sansam.commerce.deal.model.DealDtos.DealView;
import com.sansam.commerce.deal.model.DealDtos.DrawInfo;
import com.sansam.commerce.deal.model.DealDtos.FairDropStats;
import com.sansam.commerce.deal.model.DealDtos.LineView;
import com.sansam.commerce.deal.model.DealDtos.QueueInfo;
import com.sansam.commerce.deal.model.DealDtos.Remaining;
import com.sansam.commerce.deal.model.DealDtos.SetAsideRefusal;
import com.sansam.commerce.deal.model.DealDtos.SkuRemaining;
import com.sansam.commerce.deal.model.DealMode;
import com.sansam.commerce.deal.model.DealStatus;
import com.sansam.runtime.problem.Refusal;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Deals as shoppers and admins see them, read with one statement on the reactive SQL client. What a deal has left is
 * derived from its live orders ({@link #HELD}), never kept as a counter: it cannot drift from the orders.
 */
@ApplicationScoped
public class DealReads {

    /** Orders that hold a deal's units: placed and not paid yet, or paid and not wholly given back. */
    static final String LIVE_ORDER = "o.status in ('PENDING', 'STOCK_RESERVED', 'PAID', 'PARTIALLY_CANCELLED')";

    /** Units an order line holds: a cancel still being refunded keeps them until it is done. */
    static final String LINE_UNITS = """
            case when exists (select 1 from order_cancel c where c.order_pk = o.id and c.status = 'REQUESTED')
                 then ol.quantity else ol.quantity - ol.cancelled_qty end""";

    /**
     * Units of deal line {@code l} held by the deal's live orders, and (draws) by winners whose order is still being
     * made.
     */
    static final String HELD =
            "(coalesce((select sum(" + LINE_UNITS + ") from orders o join order_line ol on ol.order_pk = o.id"
                    + " where o.deal_id = l.deal_id and ol.sku = l.sku and " + LIVE_ORDER + "), 0)"
                    + " + (select count(*) from deal_entry e where e.deal_id = l.deal_id and e.sku = l.sku"
                    + " and e.offered_at is not null and e.order_pk is null))::int";

    private static final String VIEWS = """
            select d.id, d.title, d.product_id, d.per_buyer_limit, d.starts_at, d.ends_at, d.status, d.revision,
                   d.confirmed_revision, d.refused_sku, d.refused_available, d.refused_at, d.ended_at, d.end_reason,
                   d.created_at, p.name, p.brand, p.price, p.image_urls,
                   d.mode, d.rate_per_second, d.pass_ttl_seconds, d.queue_opens_before_seconds, d.entries_open_at,
                   d.entries_close_at, d.pay_within_seconds, d.draw_commitment, d.drawn_at,
                   qs.queued, qs.admitted, qs.used, qs.live, es.entries, es.winners, es.paid,
                   l.sku, l.deal_price, l.quantity, l.requested_quantity, l.returned, po.size, po.color,
                   %s as held
            from deal d join product p on p.id = d.product_id
            left join lateral (
                select count(*)::int as queued, count(q.admitted_at)::int as admitted, count(q.used_at)::int as used,
                       (count(*) filter (where q.admitted_at is not null and q.used_at is null
                                           and q.pass_expires_at > now()))::int as live
                from deal_queue q where q.deal_id = d.id and d.mode = 'QUEUE') qs on true
            left join lateral (
                select count(*)::int as entries, count(e.offered_at)::int as winners,
                       (count(*) filter (where exists (select 1 from orders o where o.id = e.order_pk
                                                         and o.status in ('PAID', 'PARTIALLY_CANCELLED'))))::int as paid
                from deal_entry e where e.deal_id = d.id and d.mode = 'DRAW') es on true
            join deal_line l on l.deal_id = d.id
            left join product_option po on po.sku = l.sku
            where d.id = any($1)
            order by d.id, l.sku""".formatted(HELD);

    private static final String SHOWN = "exists (select 1 from deal_line s where s.deal_id = d.id and s.quantity > 0)";

    /** Deal ids per shopper state at $1 (now), in the order shoppers want them; $2 is the page size. */
    private static final Map<String, String> LISTS = Map.of(
            "upcoming",
                    "select d.id from deal d where d.status = 'OPEN' and d.starts_at > $1 order by d.starts_at, d.id limit $2",
            "live",
                    "select d.id from deal d where d.status = 'OPEN' and d.starts_at <= $1 and d.ends_at > $1 order by d.ends_at, d.id limit $2",
            "ended",
                    "select d.id from deal d where (d.status = 'ENDED' or (d.status = 'OPEN' and d.ends_at <= $1)) and "
                            + SHOWN + " order by coalesce(d.ended_at, d.ends_at) desc, d.id desc limit $2");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pool pool;
    private final DealClock clock;

    public DealReads(Pool pool, DealClock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /** One deal's rows, gathered. */
    private record Rows(Row deal, List<Row> lines) {

        DealMode mode() {
            return DealMode.valueOf(deal.getString("mode"));
        }

        DealStatus status() {
            return DealStatus.valueOf(deal.getString("status"));
        }

        String state(Instant now) {
            return com.sansam.commerce.deal.model.Deal.state(
                    status(), instant(deal, "starts_at"), instant(deal, "ends_at"), now);
        }

        /** Units a line still has for buyers: none once the deal is over (they went back to regular stock). */
        static int remaining(Row line, String state) {
            return "ended".equals(state) ? 0 : Math.max(0, line.getInteger("quantity") - line.getInteger("held"));
        }

        boolean shownToShoppers() {
            return status() != DealStatus.PENDING
                    && status() != DealStatus.REFUSED
                    && lines.stream().anyMatch(l -> l.getInteger("quantity") > 0);
        }
    }

    public Uni<List<DealView>> list(String state, int size) {
        String query = LISTS.get(state);
        if (query == null) {
            return Uni.createFrom().failure(Refusal.invalid("state", "state is one of upcoming, live, ended"));
        }
        Instant now = clock.now();
        return inOrder(query, Tuple.of(now.atOffset(ZoneOffset.UTC), size))
                .map(found -> found.stream().map(r -> shopperView(r, now)).toList());
    }

    /** A deal as shoppers see it; 404 for one they cannot see (never opened). */
    public Uni<DealView> shopperView(long id) {
        Instant now = clock.now();
        return rows(List.of(id)).map(found -> {
            Rows rows = found.get(id);
            if (rows == null || !rows.shownToShoppers()) {
                throw Refusal.notFound("No deal " + id);
            }
            return shopperView(rows, now);
        });
    }

    public Uni<AdminDealView> adminView(long id) {
        Instant now = clock.now();
        return rows(List.of(id)).map(found -> {
            Rows rows = found.get(id);
            if (rows == null) {
                throw Refusal.notFound("No deal " + id);
            }
            return adminView(rows, now);
        });
    }

    public Uni<List<AdminDealView>> adminList(int size) {
        Instant now = clock.now();
        return inOrder("select id from deal order by id desc limit $1", Tuple.of(size))
                .map(found -> found.stream().map(r -> adminView(r, now)).toList());
    }

    /** The deals whose ids {@code idQuery} selects, in its order. */
    private Uni<List<Rows>> inOrder(String idQuery, Tuple arguments) {
        return pool.preparedQuery(idQuery).execute(arguments).chain(result -> {
            List<Long> ids = new ArrayList<>();
            result.forEach(row -> ids.add(row.getLong(0)));
            return rows(ids)
                    .map(found -> ids.stream()
                            .map(found::get)
                            .filter(java.util.Objects::nonNull)
                            .toList());
        });
    }

    /** What a deal has left now (the stream's event); null when there is no such deal. */
    public Uni<Remaining> remaining(long id) {
        Instant now = clock.now();
        return rows(List.of(id)).map(found -> {
            Rows rows = found.get(id);
            if (rows == null) {
                return null;
            }
            String state = rows.state(now);
            List<SkuRemaining> lines = rows.lines().stream()
                    .map(l -> new SkuRemaining(l.getString("sku"), Rows.remaining(l, state)))
                    .toList();
            return new Remaining(
                    id, state, lines.stream().mapToInt(SkuRemaining::remaining).sum(), lines);
        });
    }

    private Uni<Map<Long, Rows>> rows(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery(VIEWS)
                .execute(Tuple.of(ids.toArray(Long[]::new)))
                .map(result -> {
                    Map<Long, Rows> byDeal = new LinkedHashMap<>();
                    result.forEach(
                            row -> byDeal.computeIfAbsent(row.getLong("id"), id -> new Rows(row, new ArrayList<>()))
                                    .lines()
                                    .add(row));
                    return byDeal;
                });
    }

    private static DealView shopperView(Rows rows, Instant now) {
        Row d = rows.deal();
        String state = rows.state(now);
        List<LineView> lines = rows.lines().stream()
                .map(l -> new LineView(
                        l.getString("sku"),
                        label(l),
                        l.getLong("deal_price"),
                        d.getLong("price"),
                        l.getInteger("quantity"),
                        Rows.remaining(l, state)))
                .toList();
        return new DealView(
                d.getLong("id"),
                d.getString("title"),
                d.getLong("product_id"),
                d.getString("name"),
                d.getString("brand"),
                firstImage(d.getString("image_urls")),
                state,
                instant(d, "starts_at"),
                instant(d, "ends_at"),
                d.getInteger("per_buyer_limit"),
                lines.stream().mapToInt(LineView::remaining).sum(),
                lines,
                rows.mode(),
                queueInfo(d),
                drawInfo(d));
    }

    private static QueueInfo queueInfo(Row d) {
        if (!"QUEUE".equals(d.getString("mode"))) {
            return null;
        }
        Instant startsAt = instant(d, "starts_at");
        return new QueueInfo(
                d.getInteger("rate_per_second"),
                d.getInteger("pass_ttl_seconds"),
                startsAt.minusSeconds(d.getInteger("queue_opens_before_seconds")),
                d.getInteger("queued") - d.getInteger("admitted"));
    }

    private static DrawInfo drawInfo(Row d) {
        if (!"DRAW".equals(d.getString("mode"))) {
            return null;
        }
        return new DrawInfo(
                instant(d, "entries_open_at"),
                instant(d, "entries_close_at"),
                d.getInteger("pay_within_seconds"),
                d.getString("draw_commitment"),
                d.getInteger("entries"),
                instant(d, "drawn_at"));
    }

    private static AdminDealView adminView(Rows rows, Instant now) {
        Row d = rows.deal();
        String state = rows.state(now);
        List<AdminLineView> lines = rows.lines().stream()
                .map(l -> new AdminLineView(
                        l.getString("sku"),
                        label(l),
                        l.getLong("deal_price"),
                        d.getLong("price"),
                        l.getInteger("quantity"),
                        l.getInteger("requested_quantity"),
                        Rows.remaining(l, state),
                        l.getInteger("returned")))
                .toList();
        SetAsideRefusal refusal = d.getString("refused_sku") == null
                ? null
                : new SetAsideRefusal(
                        d.getString("refused_sku"), d.getInteger("refused_available"), instant(d, "refused_at"));
        return new AdminDealView(
                d.getLong("id"),
                d.getString("title"),
                d.getLong("product_id"),
                d.getString("name"),
                rows.status(),
                state,
                instant(d, "starts_at"),
                instant(d, "ends_at"),
                d.getInteger("per_buyer_limit"),
                d.getLong("revision"),
                d.getLong("confirmed_revision"),
                refusal,
                instant(d, "ended_at"),
                d.getString("end_reason"),
                instant(d, "created_at"),
                lines,
                rows.mode(),
                queueInfo(d),
                drawInfo(d),
                rows.mode() == DealMode.OPEN
                        ? null
                        : new FairDropStats(
                                d.getInteger("queued"),
                                d.getInteger("admitted"),
                                d.getInteger("used"),
                                d.getInteger("live"),
                                d.getInteger("entries"),
                                d.getInteger("winners"),
                                d.getInteger("paid")));
    }

    private static String label(Row line) {
        String label = Stream.of(line.getString("color"), line.getString("size"))
                .filter(s -> s != null && !s.isBlank())
                .collect(Collectors.joining(" / "));
        return label.isEmpty() ? null : label;
    }

    private static String firstImage(String imageUrls) {
        try {
            List<String> urls = JSON.readValue(imageUrls, new TypeReference<List<String>>() {});
            return urls.isEmpty() ? null : urls.get(0);
        } catch (Exception e) {
            return null;
        }
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime at = row.getOffsetDateTime(column);
        return at == null ? null : at.toInstant();
    }
}
