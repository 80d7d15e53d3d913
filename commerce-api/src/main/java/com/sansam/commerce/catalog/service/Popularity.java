package com.sansam.commerce.catalog.service;

import com.sansam.commerce.catalog.config.CatalogConfig;
import com.sansam.commerce.catalog.model.Product;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoredValue;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.stream.IntStream;

/**
 * "Popular" = recent views and wishlist adds. Each counts into a per-day Redis sorted set (one ZINCRBY, no
 * database write per view); a scheduled job sums the last N days into {@code product.popularity}, the column
 * listings sort by.
 */
@ApplicationScoped
public class Popularity {

    private static final Logger LOG = Logger.getLogger(Popularity.class);
    private static final String PREFIX = "sansam:popularity:";

    private final ReactiveRedisDataSource redis;
    private final CatalogConfig config;

    public Popularity(ReactiveRedisDataSource redis, CatalogConfig config) {
        this.redis = redis;
        this.config = config;
    }

    public Uni<Void> viewed(long productId) {
        return add(productId, config.viewScore());
    }

    public Uni<Void> wished(long productId) {
        return add(productId, config.wishlistScore());
    }

    private Uni<Void> add(long productId, int score) {
        String key = PREFIX + LocalDate.now(ZoneOffset.UTC);
        return redis.sortedSet(Long.class).zincrby(key, score, productId)
                .chain(() -> redis.key().expire(key, (config.popularityDays() + 1) * 86_400L))
                .onFailure().invoke(e -> LOG.debugf("Popularity not counted: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    @Scheduled(every = "${sansam.catalog.popularity-sync:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledSync() {
        return sync().onFailure().invoke(e -> LOG.warn("Popularity sync failed", e)).onFailure().recoverWithNull();
    }

    /** Writes the summed recent scores into product.popularity (products with no recent score drop to 0). */
    public Uni<Void> sync() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String[] days = IntStream.range(0, config.popularityDays()).mapToObj(i -> PREFIX + today.minusDays(i)).toArray(String[]::new);
        return redis.sortedSet(Long.class).zunionWithScores(days).chain(scores -> Panache.withTransaction(() ->
                Product.update("popularity = 0 where popularity <> 0")
                        .chain(() -> Multi.createFrom().iterable(scores)
                                .onItem().transformToUniAndConcatenate(this::store)
                                .collect().asList())))
                .replaceWithVoid();
    }

    private Uni<Integer> store(ScoredValue<Long> score) {
        return Product.update("popularity = ?1 where id = ?2", (long) score.score(), score.value());
    }
}
