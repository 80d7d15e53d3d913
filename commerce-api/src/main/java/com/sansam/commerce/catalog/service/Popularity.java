package com.sansam.commerce.catalog.service;

import com.sansam.commerce.catalog.config.CatalogConfig;
import com.sansam.commerce.catalog.model.Product;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoredValue;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * "Popular" = recent views and wishlist adds. They are counted in memory and written every
 * {@code sansam.catalog.popularity-flush} (1 s) in one pipelined Redis request into a per-day sorted set (ZINCRBY per
 * product seen since the last flush), so a view costs no Redis write on the request path; a scheduled job sums the
 * last N days into {@code product.popularity}, the column listings sort by (cached listings sorted by it follow
 * within {@code cache-ttl}: a ranking over days need not empty the listing cache every minute). Counts of the last second are lost if the
 * process dies: popularity is a ranking, not a ledger.
 */
@ApplicationScoped
public class Popularity {

    private static final Logger LOG = Logger.getLogger(Popularity.class);
    private static final String PREFIX = "sansam:popularity:";

    private final ReactiveRedisDataSource redis;
    private final Redis lowLevel;
    private final CatalogConfig config;
    private final ConcurrentHashMap<Long, LongAdder> pending = new ConcurrentHashMap<>();

    public Popularity(ReactiveRedisDataSource redis, Redis lowLevel, CatalogConfig config) {
        this.redis = redis;
        this.lowLevel = lowLevel;
        this.config = config;
    }

    public void viewed(long productId) {
        add(productId, config.viewScore());
    }

    public void wished(long productId) {
        add(productId, config.wishlistScore());
    }

    private void add(long productId, int score) {
        pending.computeIfAbsent(productId, id -> new LongAdder()).add(score);
    }

    @Scheduled(
            every = "${sansam.catalog.popularity-flush:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledFlush() {
        return flush();
    }

    /** Writes the scores counted since the last flush (one request); on failure they are added back for the next. */
    public Uni<Void> flush() {
        if (pending.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<Long, Long> scores = new HashMap<>();
        for (Long id : List.copyOf(pending.keySet())) {
            LongAdder adder = pending.remove(id);
            if (adder != null) {
                scores.put(id, adder.sum());
            }
        }
        String key = PREFIX + LocalDate.now(ZoneOffset.UTC);
        List<Request> requests = new ArrayList<>();
        scores.forEach((id, score) ->
                requests.add(Request.cmd(Command.ZINCRBY).arg(key).arg(score).arg(id)));
        requests.add(Request.cmd(Command.EXPIRE).arg(key).arg((config.popularityDays() + 1) * 86_400L));
        return lowLevel.batch(requests)
                .replaceWithVoid()
                .onFailure()
                .invoke(e -> {
                    LOG.debugf("Popularity not written, kept for the next flush: %s", e.toString());
                    scores.forEach((id, score) ->
                            pending.computeIfAbsent(id, x -> new LongAdder()).add(score));
                })
                .onFailure()
                .recoverWithNull();
    }

    void flushOnStop(@Observes ShutdownEvent event) {
        flush().ifNoItem()
                .after(java.time.Duration.ofSeconds(2))
                .recoverWithItem((Void) null)
                .await()
                .indefinitely();
    }

    @Scheduled(
            every = "${sansam.catalog.popularity-sync:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledSync() {
        return sync().onFailure()
                .invoke(e -> LOG.warn("Popularity sync failed", e))
                .onFailure()
                .recoverWithNull();
    }

    /** Writes the summed recent scores into product.popularity (products with no recent score drop to 0). */
    public Uni<Void> sync() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String[] days = IntStream.range(0, config.popularityDays())
                .mapToObj(i -> PREFIX + today.minusDays(i))
                .toArray(String[]::new);
        return flush().chain(() -> redis.sortedSet(Long.class).zunionWithScores(days))
                .chain(scores -> Panache.withTransaction(() -> Product.update("popularity = 0 where popularity <> 0")
                        .chain(() -> Multi.createFrom()
                                .iterable(scores)
                                .onItem()
                                .transformToUniAndConcatenate(this::store)
                                .collect()
                                .asList())))
                .replaceWithVoid();
    }

    private Uni<Integer> store(ScoredValue<Long> score) {
        return Product.update("popularity = ?1 where id = ?2", (long) score.score(), score.value());
    }
}
