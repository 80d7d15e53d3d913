package com.sansam.commerce.deal.service;

import com.sansam.commerce.deal.model.DealDtos.QueuePlace;
import com.sansam.runtime.db.PgErrors;
import com.sansam.runtime.problem.Refusal;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The waiting room of a {@code QUEUE} deal, its state in PostgreSQL so that every replica sees one queue:
 * <ul>
 *   <li>Joining (from {@code queueOpensBefore} before the start until the end; once per buyer and per verified phone)
 *       before the start puts the buyer in the pre-queue; at the start the pre-queue is shuffled, and later buyers
 *       get the next place in arrival order.</li>
 *   <li>Buyers are let in by {@link QueueAdmission}, the deal's one admission clock.</li>
 *   <li>A pass lasts {@code passTtl} and is used by placing an order of the deal ({@link DealPurchases#USE_PASS}, inside the
 *       order's transaction: it is used once, and a refused order leaves it unused).</li>
 * </ul>
 */
@ApplicationScoped
public class WaitingRoom {

    /** The deal and the buyer, for joining. */
    private static final String JOINING = """
            select d.mode, d.status, d.starts_at, d.ends_at, d.queue_opens_before_seconds,
                   u.email_verified_at is not null as email_ok, u.verified_phone
            from deal d, users u where d.id = $1 and u.id = $2""";

    /** What all buyers of one deal's queue share: the counters, the units left, the pre-queue's size. */
    private static final String SNAPSHOT = """
            select d.status, d.starts_at, d.ends_at, d.rate_per_second, s.shuffled_at, s.tail, s.admitted,
                   (select count(*) from deal_queue p where p.deal_id = d.id and p.place is null)::int as prequeue,
                   (select coalesce(sum(greatest(l.quantity - %s, 0)), 0) from deal_line l where l.deal_id = d.id)::int
                       as remaining
            from deal d join deal_queue_state s on s.deal_id = d.id where d.id = $1""".formatted(DealReads.HELD);

    private static final String PLACES = """
            select user_id, place, admitted_at, pass_expires_at, used_at from deal_queue
            where deal_id = $1 and user_id = any($2)""";

    /** What the deal's queue holds now, for every buyer's view. */
    record Snapshot(
            long dealId,
            String status,
            Instant startsAt,
            Instant endsAt,
            int ratePerSecond,
            boolean shuffled,
            int tail,
            int admitted,
            int prequeue,
            int remaining) {}

    /** One buyer's row. */
    record Spot(Integer place, Instant admittedAt, Instant passExpiresAt, Instant usedAt) {}

    /**
     * Whether a buyer's row, as read before, is still what the database holds, given the queue's state now: a row
     * changes only when the shuffle places its buyer, when the buyer is let in, and when their pass is used. So a
     * waiting buyer behind those let in, a buyer in the pre-queue before the shuffle, and a buyer who ordered need no
     * new read; a pass holder (who may order any moment) and an unknown buyer do.
     */
    static boolean unchanged(Spot spot, Snapshot snapshot) {
        if (spot == null || spot.admittedAt() != null && spot.usedAt() == null) {
            return false;
        }
        if (spot.usedAt() != null) {
            return true;
        }
        return spot.place() == null ? !snapshot.shuffled() : spot.place() > snapshot.admitted();
    }

    private final Pool pool;
    private final DealClock clock;
    /** Deals known to have a waiting room (a positive answer never changes). */
    private final Set<Long> queues = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final QueueAdmission admission;

    public WaitingRoom(Pool pool, DealClock clock, QueueAdmission admission) {
        this.pool = pool;
        this.clock = clock;
        this.admission = admission;
    }

    // ------------------------------------------------------------------------------------------ buyers

    /**
     * Joins the deal's queue (joining again answers the place held). 409 {@code not-a-queue}, {@code queue-not-open}
     * (with {@code opensAt}), {@code deal-ended}, {@code already-queued} (the verified phone holds a place through
     * another account); 403 {@code verification-required}.
     */
    public Uni<QueuePlace> join(long userId, long dealId) {
        Instant now = clock.now();
        return pool.preparedQuery(JOINING).execute(Tuple.of(dealId, userId)).chain(rows -> {
            if (rows.size() == 0
                    || "PENDING".equals(rows.iterator().next().getString("status"))
                    || "REFUSED".equals(rows.iterator().next().getString("status"))) {
                throw Refusal.notFound("No deal " + dealId);
            }
            Row deal = rows.iterator().next();
            if (!"QUEUE".equals(deal.getString("mode"))) {
                throw Refusal.conflict(
                        "not-a-queue",
                        "No waiting room",
                        "Deal " + dealId + " has no waiting room (" + deal.getString("mode") + ")",
                        Map.of("dealId", dealId, "mode", deal.getString("mode")));
            }
            Instant startsAt = DealReads.instant(deal, "starts_at");
            Instant opensAt = startsAt.minusSeconds(deal.getInteger("queue_opens_before_seconds"));
            if ("ENDED".equals(deal.getString("status")) || !now.isBefore(DealReads.instant(deal, "ends_at"))) {
                throw Refusal.conflict(
                        "deal-ended", "Deal ended", "Deal " + dealId + " has ended", Map.of("dealId", dealId));
            }
            if (now.isBefore(opensAt)) {
                throw Refusal.conflict(
                        "queue-not-open",
                        "Queue not open",
                        "The queue of deal " + dealId + " opens at " + opensAt,
                        Map.of("dealId", dealId, "opensAt", opensAt.toString()));
            }
            DealPurchases.refuseUnverified(deal.getBoolean("email_ok"), deal.getString("verified_phone"));
            String phone = deal.getString("verified_phone");
            Uni<Void> joined = now.isBefore(startsAt)
                    ? joinPreQueue(dealId, userId, phone, now)
                    : joinBehind(dealId, userId, phone, now);
            return joined.onFailure(PgErrors::isUniqueViolation)
                    .recoverWithUni(clash -> places(dealId, List.of(userId)).map(mine -> {
                        if (mine.containsKey(userId)) {
                            return null; // joined already (a repeated or parallel request)
                        }
                        throw Refusal.conflict(
                                "already-queued",
                                "Already in the queue",
                                "Your verified phone already holds a place in this queue through another account",
                                Map.of("dealId", dealId));
                    }))
                    .chain(() -> place(userId, dealId));
        });
    }

    /**
     * Before the start: a place in the pre-queue, under a share lock of the queue state, so that the shuffle (which
     * takes it exclusively) sees every pre-queue buyer committed; if the shuffle came first, the buyer queues behind.
     */
    private Uni<Void> joinPreQueue(long dealId, long userId, String phone, Instant now) {
        return pool.withTransaction(connection -> connection
                        .preparedQuery("select shuffled_at from deal_queue_state where deal_id = $1 for share")
                        .execute(Tuple.of(dealId))
                        .chain(state -> state.iterator().next().getOffsetDateTime("shuffled_at") != null
                                ? Uni.createFrom().item(false)
                                : joined(connection, "($1, $2, $3, $4, null)", dealId, userId, phone, now)))
                .chain(done -> done ? Uni.createFrom().voidItem() : joinBehind(dealId, userId, phone, now));
    }

    /** After the start: the next place, behind everyone (the pre-queue is shuffled first when no tick did it yet). */
    private Uni<Void> joinBehind(long dealId, long userId, String phone, Instant now) {
        return alreadyPlaced(dealId, userId)
                .chain(placed -> placed
                        ? Uni.createFrom().voidItem()
                        : pool.withTransaction(connection -> connection
                                        .preparedQuery("""
                                        update deal_queue_state set tail = tail + 1
                                        where deal_id = $1 and shuffled_at is not null returning tail""")
                                        .execute(Tuple.of(dealId))
                                        .chain(tail -> tail.size() == 0
                                                ? Uni.createFrom().item(false)
                                                : joined(
                                                        connection,
                                                        "($1, $2, $3, $4, "
                                                                + tail.iterator()
                                                                        .next()
                                                                        .getInteger(0) + ")",
                                                        dealId,
                                                        userId,
                                                        phone,
                                                        now)))
                                .chain(done -> done
                                        ? Uni.createFrom().voidItem()
                                        : admission.admit(dealId).chain(() -> joinBehind(dealId, userId, phone, now))));
    }

    private Uni<Boolean> alreadyPlaced(long dealId, long userId) {
        return pool.preparedQuery("select 1 from deal_queue where deal_id = $1 and user_id = $2")
                .execute(Tuple.of(dealId, userId))
                .map(rows -> rows.size() > 0);
    }

    private static Uni<Boolean> joined(
            SqlConnection connection, String values, long dealId, long userId, String phone, Instant now) {
        return connection
                .preparedQuery(
                        "insert into deal_queue (deal_id, user_id, buyer_phone, joined_at, place) values " + values)
                .execute(Tuple.of(dealId, userId, phone, utc(now)))
                .replaceWith(true);
    }

    /** The buyer's place now (state {@code not-joined} when none). */
    public Uni<QueuePlace> place(long userId, long dealId) {
        return snapshot(dealId)
                .chain(snapshot -> snapshot == null
                        ? Uni.createFrom().failure(Refusal.notFound("No waiting room for deal " + dealId))
                        : places(dealId, List.of(userId)).map(rows -> view(snapshot, rows.get(userId), clock.now())));
    }

    /** Whether the deal has a waiting room (one indexed read the first time; a deal's mode never changes). */
    public Uni<Boolean> hasQueue(long dealId) {
        if (queues.contains(dealId)) {
            return Uni.createFrom().item(true);
        }
        return pool.preparedQuery("select 1 from deal_queue_state where deal_id = $1")
                .execute(Tuple.of(dealId))
                .map(rows -> {
                    if (rows.size() > 0) {
                        queues.add(dealId);
                    }
                    return rows.size() > 0;
                });
    }

    /** The deal's shared queue state; null when it has no waiting room. */
    Uni<Snapshot> snapshot(long dealId) {
        return pool.preparedQuery(SNAPSHOT).execute(Tuple.of(dealId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row r = rows.iterator().next();
            return new Snapshot(
                    dealId,
                    r.getString("status"),
                    DealReads.instant(r, "starts_at"),
                    DealReads.instant(r, "ends_at"),
                    r.getInteger("rate_per_second"),
                    r.getOffsetDateTime("shuffled_at") != null,
                    r.getInteger("tail"),
                    r.getInteger("admitted"),
                    r.getInteger("prequeue"),
                    r.getInteger("remaining"));
        });
    }

    /** The rows of these buyers in the deal's queue, by user. */
    Uni<Map<Long, Spot>> places(long dealId, List<Long> users) {
        return pool.preparedQuery(PLACES)
                .execute(Tuple.of(dealId, users.toArray(Long[]::new)))
                .map(rows -> {
                    Map<Long, Spot> byUser = new HashMap<>();
                    rows.forEach(r -> byUser.put(
                            r.getLong("user_id"),
                            new Spot(
                                    r.getInteger("place"),
                                    DealReads.instant(r, "admitted_at"),
                                    DealReads.instant(r, "pass_expires_at"),
                                    DealReads.instant(r, "used_at"))));
                    return byUser;
                });
    }

    /** What one buyer is told, from the shared state and their row. */
    static QueuePlace view(Snapshot s, Spot mine, Instant now) {
        int waiting = s.shuffled() ? Math.max(0, s.tail() - s.admitted()) : s.prequeue();
        boolean ended = "ENDED".equals(s.status()) || !now.isBefore(s.endsAt());
        String state;
        Integer ahead = null;
        Long estimate = null;
        if (mine == null) {
            state = ended ? "ended" : "not-joined";
        } else if (mine.usedAt() != null) {
            state = "ordered";
        } else if (mine.admittedAt() != null) {
            state = ended ? "ended" : now.isBefore(mine.passExpiresAt()) ? "your-turn" : "pass-expired";
        } else if (ended) {
            state = "ended";
        } else if (mine.place() == null) {
            state = "pre-queue";
        } else {
            ahead = Math.max(0, mine.place() - s.admitted() - 1);
            if (s.remaining() <= 0) {
                state = "sold-out";
            } else {
                state = "waiting";
                estimate = (long) Math.ceil((ahead + 1) / (double) s.ratePerSecond());
            }
        }
        return new QueuePlace(
                s.dealId(),
                state,
                mine == null ? null : mine.place(),
                ahead,
                estimate,
                mine == null || mine.usedAt() != null ? null : mine.passExpiresAt(),
                waiting,
                s.startsAt());
    }

    /** The refusal of an order of a waiting room's deal without a live pass (used by the deal's rules). */
    static Refusal notAdmitted(long dealId) {
        return Refusal.conflict(
                "not-admitted",
                "Not your turn",
                "Deal " + dealId + " sells through its waiting room: join the queue and buy while your pass lasts",
                Map.of("dealId", dealId));
    }

    static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
