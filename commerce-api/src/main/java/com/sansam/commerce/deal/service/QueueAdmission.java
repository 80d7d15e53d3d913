package com.sansam.commerce.deal.service;

import com.sansam.commerce.deal.config.DealConfig;
import com.sansam.runtime.outbox.SafeContexts;
import com.sansam.runtime.security.Randomness;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The admission clock of the {@code QUEUE} deals' waiting rooms ({@link WaitingRoom}), one per deal however many
 * replicas run it:
 * <ul>
 *   <li>at the start, the pre-queue is shuffled with {@link SecureRandom} (arriving early buys nothing);</li>
 *   <li>once the pre-queue's places have been announced ({@code sansam.deals.queue-announce} after the shuffle),
 *       every tick, on every replica, {@link #admit} lets buyers in under the deal's queue-state row lock: one token
 *       bucket of {@code ratePerSecond} per deal (at most one tick's worth saved), and never more live passes than
 *       units left, so that a buyer let in has a unit to buy and a unit given back lets the next one in.</li>
 * </ul>
 */
@ApplicationScoped
public class QueueAdmission {

    private static final Logger LOG = Logger.getLogger(QueueAdmission.class);

    private static final String ADMISSION = """
            select s.shuffled_at, s.tail, s.admitted, s.tokens, s.counted_at, d.rate_per_second, d.pass_ttl_seconds,
                   d.starts_at
            from deal_queue_state s join deal d on d.id = s.deal_id where s.deal_id = $1 for update of s""";

    private static final String CAPACITY = """
            select (select coalesce(sum(greatest(l.quantity - %s, 0)), 0) from deal_line l where l.deal_id = $1)::int
                       as remaining,
                   (select count(*) from deal_queue q where q.deal_id = $1 and q.admitted_at is not null
                      and q.used_at is null and q.pass_expires_at > $2)::int as live""".formatted(DealReads.HELD);

    private static final String DUE = """
            select d.id from deal d where d.mode = 'QUEUE' and d.status = 'OPEN' and d.starts_at <= $1 and d.ends_at > $1
            and exists (select 1 from deal_queue_state s where s.deal_id = d.id
                        and (s.shuffled_at is null or s.tail > s.admitted))""";

    private final Pool pool;
    private final DealClock clock;
    private final DealConfig config;
    private final Vertx vertx;
    /** Who hears of buyers let in (this replica's streams). */
    private final List<Admitted> admitted = new java.util.concurrent.CopyOnWriteArrayList<>();

    private long timer = -1;

    public QueueAdmission(Pool pool, DealClock clock, DealConfig config, Vertx vertx) {
        this.pool = pool;
        this.clock = clock;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        timer = SafeContexts.every(
                vertx.getDelegate(), config.fairDropTick(), "Letting queued buyers in", this::admitDue);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Lets buyers in, for every live QUEUE deal with someone waiting (shuffling its pre-queue first). */
    public Uni<Void> admitDue() {
        return pool.preparedQuery(DUE)
                .execute(Tuple.of(WaitingRoom.utc(clock.now())))
                .chain(due -> {
                    List<Long> ids = new ArrayList<>();
                    due.forEach(row -> ids.add(row.getLong(0)));
                    return Multi.createFrom()
                            .iterable(ids)
                            .onItem()
                            .transformToUniAndConcatenate(this::admit)
                            .collect()
                            .last()
                            .replaceWithVoid();
                });
    }

    /** One deal: shuffle its pre-queue if the start came, then let in what the rate and the units allow. */
    Uni<Void> admit(long dealId) {
        Instant now = clock.now();
        Uni<int[]> granted = pool.withTransaction(connection -> connection
                .preparedQuery(ADMISSION)
                .execute(Tuple.of(dealId))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(new int[] {0, 0});
                    }
                    Row state = rows.iterator().next();
                    Instant startsAt = DealReads.instant(state, "starts_at");
                    if (now.isBefore(startsAt)) {
                        return Uni.createFrom().item(new int[] {0, 0});
                    }
                    Instant shuffledAt = DealReads.instant(state, "shuffled_at");
                    Uni<Integer> tail = shuffledAt == null
                            ? shuffle(connection, dealId, now)
                            : Uni.createFrom().item(state.getInteger("tail"));
                    // everyone hears their place before the first buyer is let in
                    boolean announcing = shuffledAt == null || now.isBefore(shuffledAt.plus(config.queueAnnounce()));
                    int rate = state.getInteger("rate_per_second");
                    Instant countedAt = DealReads.instant(state, "counted_at");
                    double earned = rate
                            * Math.max(
                                    0,
                                    java.time.Duration.between(countedAt == null ? startsAt : countedAt, now)
                                            .toNanos())
                            / 1e9;
                    // admissions saved while nobody could be let in: at most one tick's worth, so that buyers
                    // arrive at the rate (a few per tick) rather than in a burst that queues for the service
                    double burst = Math.max(1, rate * config.fairDropTick().toNanos() / 1e9);
                    double tokens = Math.min(burst, state.getDouble("tokens") + earned);
                    int admitted = state.getInteger("admitted");
                    return tail.chain(places -> connection
                            .preparedQuery(CAPACITY)
                            .execute(Tuple.of(dealId, WaitingRoom.utc(now)))
                            .chain(capacity -> {
                                Row c = capacity.iterator().next();
                                int free = c.getInteger("remaining") - c.getInteger("live");
                                int n = announcing
                                        ? 0
                                        : Math.max(0, Math.min(Math.min((int) tokens, free), places - admitted));
                                Instant expires = now.plusSeconds(state.getInteger("pass_ttl_seconds"));
                                Uni<Void> letIn = n == 0
                                        ? Uni.createFrom().voidItem()
                                        : connection
                                                .preparedQuery("""
                                                        update deal_queue set admitted_at = $2, pass_expires_at = $3
                                                        where deal_id = $1 and place > $4 and place <= $5""")
                                                .execute(Tuple.of(
                                                        dealId,
                                                        WaitingRoom.utc(now),
                                                        WaitingRoom.utc(expires),
                                                        admitted,
                                                        admitted + n))
                                                .replaceWithVoid();
                                return letIn.chain(() -> connection
                                        .preparedQuery("""
                                                update deal_queue_state set admitted = $2, tokens = $3, counted_at = $4
                                                where deal_id = $1""")
                                        .execute(Tuple.of(dealId, admitted + n, tokens - n, WaitingRoom.utc(now)))
                                        .replaceWith(new int[] {admitted, admitted + n}));
                            }));
                }));
        // the buyers let in hear it at once from this replica's streams, not at their next read
        return granted.invoke(range -> {
                    if (range[1] > range[0]) {
                        admitted.forEach(listener -> listener.letIn(dealId, range[0], range[1]));
                    }
                })
                .replaceWithVoid();
    }

    /** Hears which places of a deal's queue were let in, after the commit. */
    interface Admitted {
        void letIn(long dealId, int after, int upTo);
    }

    /** {@code listener} hears of every admission this replica makes. */
    void onAdmitted(Admitted listener) {
        admitted.add(listener);
    }

    /** Places 1..N for the pre-queue, in a uniformly random order; answers N. Holds the queue-state row lock. */
    private Uni<Integer> shuffle(SqlConnection connection, long dealId, Instant now) {
        return connection
                .preparedQuery("select user_id from deal_queue where deal_id = $1 and place is null order by user_id")
                .execute(Tuple.of(dealId))
                .chain(rows -> {
                    List<Long> users = new ArrayList<>();
                    rows.forEach(row -> users.add(row.getLong(0)));
                    List<Long> order = shuffled(users);
                    Integer[] places = new Integer[order.size()];
                    for (int i = 0; i < places.length; i++) {
                        places[i] = i + 1;
                    }
                    Uni<Void> placed = order.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : connection
                                    .preparedQuery("""
                                            update deal_queue q set place = v.place
                                            from unnest($2::bigint[], $3::int[]) as v(user_id, place)
                                            where q.deal_id = $1 and q.user_id = v.user_id""")
                                    .execute(Tuple.of(dealId, order.toArray(Long[]::new), places))
                                    .replaceWithVoid();
                    return placed.chain(() -> connection
                                    .preparedQuery(
                                            "update deal_queue_state set shuffled_at = $2, tail = $3 where deal_id = $1")
                                    .execute(Tuple.of(dealId, WaitingRoom.utc(now), order.size())))
                            .invoke(() ->
                                    LOG.infof("Deal %d started: its pre-queue of %d shuffled", dealId, order.size()))
                            .replaceWith(order.size());
                });
    }

    /** A uniformly random order of {@code items}: Fisher–Yates ({@link Collections#shuffle}) with {@link SecureRandom}. */
    static <T> List<T> shuffled(List<T> items) {
        List<T> copy = new ArrayList<>(items);
        Collections.shuffle(copy, Randomness.secure());
        return copy;
    }
}
