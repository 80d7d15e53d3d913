package com.sansam.commerce.catalog.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sansam.commerce.catalog.config.CatalogConfig;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.function.Supplier;

/**
 * Redis cache of hot catalogue reads (product detail, first listing page). A cache that is down or slow
 * degrades to the database: every cache failure is logged and ignored, never answered as an error.
 * Listings are keyed by a generation number that any catalogue or availability change increments.
 */
@ApplicationScoped
public class CatalogCache {

    private static final Logger LOG = Logger.getLogger(CatalogCache.class);
    private static final String PRODUCT = "sansam:cache:product:";
    private static final String LISTING = "sansam:cache:listing:";
    private static final String GENERATION = "sansam:cache:listing-generation";
    private static final java.time.Duration TIMEOUT = java.time.Duration.ofMillis(300);

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper json;
    private final long ttlSeconds;

    public CatalogCache(@RedisClientName("cache") ReactiveRedisDataSource redis, ObjectMapper json, CatalogConfig config) {
        this.redis = redis;
        this.json = json;
        this.ttlSeconds = config.cacheTtl().toSeconds();
    }

    public <T> Uni<T> product(long id, Class<T> type, Supplier<Uni<T>> load) {
        return cached(PRODUCT + id, type, load);
    }

    /** A listing page; {@code key} names the query (category, sort…), the generation is added here. */
    public <T> Uni<T> listing(String key, Class<T> type, Supplier<Uni<T>> load) {
        return quietly(redis.value(Long.class).get(GENERATION), null)
                .chain(generation -> cached(LISTING + key + ":g" + (generation == null ? 0 : generation), type, load));
    }

    /** Forgets a product's detail and every cached listing. */
    public Uni<Void> productChanged(long id) {
        return quietly(redis.key().del(PRODUCT + id).chain(() -> redis.value(Long.class).incr(GENERATION)), 0L).replaceWithVoid();
    }

    private <T> Uni<T> cached(String key, Class<T> type, Supplier<Uni<T>> load) {
        return quietly(redis.value(String.class).get(key), null).chain(hit -> {
            if (hit != null) {
                try {
                    return Uni.createFrom().item(json.readValue(hit, type));
                } catch (Exception e) {
                    LOG.warnf("Unreadable cache entry %s dropped: %s", key, e.getMessage());
                }
            }
            return load.get().call(value -> {
                if (value == null) {
                    return Uni.createFrom().voidItem();
                }
                try {
                    return quietly(redis.value(String.class).setex(key, ttlSeconds, json.writeValueAsString(value)), null);
                } catch (Exception e) {
                    return Uni.createFrom().voidItem();
                }
            });
        });
    }

    private static <T> Uni<T> quietly(Uni<T> operation, T fallback) {
        return operation.ifNoItem().after(TIMEOUT).fail()
                .onFailure().invoke(e -> LOG.debugf("Catalogue cache unavailable: %s", e.toString()))
                .onFailure().recoverWithItem(fallback);
    }
}
