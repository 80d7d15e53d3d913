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
 * Entries are versioned: a product's detail by its own version, listings by a generation number, both moved by
 * {@link #productChanged} after a change committed; an entry written for an older version is never served.
 */
@ApplicationScoped
public class CatalogCache {

    private static final Logger LOG = Logger.getLogger(CatalogCache.class);
    private static final String PRODUCT = "sansam:cache:product:";
    private static final String PRODUCT_VERSION = "sansam:cache:product-version:";
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

    /**
     * A product's detail. The entry carries the product's version ({@code product-version:<id>}, moved by every
     * change after its commit): an entry of an older version is a miss, so a reader that loaded the product just
     * before a change and writes its entry just after cannot make the old state stick. One round trip (MGET).
     */
    public <T> Uni<T> product(long id, Class<T> type, Supplier<Uni<T>> load) {
        String entryKey = PRODUCT + id;
        return quietly(redis.value(String.class).mget(PRODUCT_VERSION + id, entryKey), java.util.Map.<String, String>of())
                .chain(values -> {
                    String version = java.util.Objects.requireNonNullElse(values.get(PRODUCT_VERSION + id), "0") + "|";
                    String entry = values.get(entryKey);
                    if (entry != null && entry.startsWith(version)) {
                        T hit = read(entryKey, entry.substring(version.length()), type);
                        if (hit != null) {
                            return Uni.createFrom().item(hit);
                        }
                    }
                    return load.get().call(value -> store(entryKey, version, value));
                });
    }

    /** A listing page; {@code key} names the query (category, sort…), the generation is added here. */
    public <T> Uni<T> listing(String key, Class<T> type, Supplier<Uni<T>> load) {
        return quietly(redis.value(Long.class).get(GENERATION), null)
                .chain(generation -> cached(LISTING + key + ":g" + (generation == null ? 0 : generation), type, load));
    }

    /**
     * Makes a product's cached detail and every cached listing stale. Call it only after the change committed
     * (a reader in between would cache the old state under the new version).
     */
    public Uni<Void> productChanged(long id) {
        return productsChanged(java.util.List.of(id));
    }

    /** {@link #productChanged} for many products at once: their versions in parallel, the listings once. */
    public Uni<Void> productsChanged(java.util.Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return quietly(Uni.join().all(ids.stream().map(id -> redis.value(Long.class).incr(PRODUCT_VERSION + id)).toList())
                .andFailFast()
                .chain(() -> redis.value(Long.class).incr(GENERATION)), 0L).replaceWithVoid();
    }

    private <T> Uni<T> cached(String key, Class<T> type, Supplier<Uni<T>> load) {
        return quietly(redis.value(String.class).get(key), null).chain(entry -> {
            T hit = entry == null ? null : read(key, entry, type);
            return hit != null ? Uni.createFrom().item(hit) : load.get().call(value -> store(key, "", value));
        });
    }

    private <T> T read(String key, String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (Exception e) {
            LOG.warnf("Unreadable cache entry %s dropped: %s", key, e.getMessage());
            return null;
        }
    }

    private Uni<Void> store(String key, String prefix, Object value) {
        if (value == null) {
            return Uni.createFrom().voidItem();
        }
        try {
            return quietly(redis.value(String.class).setex(key, ttlSeconds, prefix + json.writeValueAsString(value)), null);
        } catch (Exception e) {
            return Uni.createFrom().voidItem();
        }
    }

    private static <T> Uni<T> quietly(Uni<T> operation, T fallback) {
        return operation.ifNoItem().after(TIMEOUT).fail()
                .onFailure().invoke(e -> LOG.debugf("Catalogue cache unavailable: %s", e.toString()))
                .onFailure().recoverWithItem(fallback);
    }
}
