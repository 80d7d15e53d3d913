package com.sansam.commerce.catalog.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sansam.commerce.catalog.config.CatalogConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.client.RedisClientName;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Redis cache of the public catalogue reads (product detail, listing and search pages), holding each answer as the
 * JSON it is sent as, with its ETag: a hit is one Redis round trip and no (de)serialisation.
 * <p>
 * Entries are versioned: a product's detail by its own version, listings by a generation number, both moved by
 * {@link #productsChanged} after a change committed; an entry written for an older version is never served.
 * <p>
 * A cache that is down or slow degrades to the database, but never silently: every failure is counted
 * ({@code sansam_catalog_cache_failures_total{operation}}) and logged (a warning at most once a minute, every one at
 * DEBUG); hits and misses are counted too ({@code sansam_catalog_cache_requests_total{result}}).
 * {@code sansam.catalog.cache-enabled=false} switches the cache off (the answers keep their ETag).
 */
@ApplicationScoped
public class CatalogCache {

    private static final Logger LOG = Logger.getLogger(CatalogCache.class);
    private static final String PRODUCT = "sansam:cache:product:";
    private static final String PRODUCT_VERSION = "sansam:cache:product-version:";
    private static final String LISTING = "sansam:cache:listing:";
    private static final String GENERATION = "sansam:cache:listing-generation";
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final long WARN_EVERY_MS = 60_000;

    /** An answer as sent: its JSON and its (weak) ETag, a digest of exactly these bytes. */
    public record Page(String json, String etag) {

        static Page parse(String entry) {
            int bar = entry.indexOf('|');
            return bar < 0 ? null : new Page(entry.substring(bar + 1), entry.substring(0, bar));
        }

        String entry() {
            return etag + "|" + json;
        }
    }

    private final Redis redis;
    private final ObjectMapper json;
    private final long ttlSeconds;
    private final long searchTtlSeconds;
    private final boolean enabled;
    private final Counter hits;
    private final Counter misses;
    private final Map<String, Counter> failures;
    private final AtomicLong lastWarning = new AtomicLong();
    private final ConcurrentHashMap<String, Uni<Page>> loading = new ConcurrentHashMap<>();

    public CatalogCache(
            @RedisClientName("cache") Redis redis, ObjectMapper json, CatalogConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.json = json;
        this.ttlSeconds = config.cacheTtl().toSeconds();
        this.searchTtlSeconds = Math.max(1, config.searchCacheTtl().toSeconds());
        this.enabled = config.cacheEnabled();
        this.hits = Counter.builder("sansam.catalog.cache.requests")
                .tag("result", "hit")
                .description("Catalogue cache reads by outcome")
                .register(registry);
        this.misses = Counter.builder("sansam.catalog.cache.requests")
                .tag("result", "miss")
                .description("Catalogue cache reads by outcome")
                .register(registry);
        // registered (at 0) from the start, so a dashboard and the bench can read them
        this.failures = Stream.of("read", "write", "invalidate")
                .collect(Collectors.toUnmodifiableMap(
                        operation -> operation,
                        operation -> Counter.builder("sansam.catalog.cache.failures")
                                .tag("operation", operation)
                                .description(
                                        "Catalogue cache calls that failed or timed out (the answer came from the database)")
                                .register(registry)));
    }

    /**
     * A product's detail; {@code load} answers null when there is no such product (nothing is cached then). The
     * entry carries the product's version ({@code product-version:<id>}, moved by every change after its commit):
     * an entry of an older version is a miss, so a reader that loaded the product just before a change and writes
     * its entry just after cannot make the old state stick. One round trip (MGET).
     */
    public Uni<Page> product(long id, Supplier<Uni<?>> load) {
        if (!enabled) {
            return loadPage(load);
        }
        String entryKey = PRODUCT + id;
        return read(Request.cmd(Command.MGET).arg(PRODUCT_VERSION + id).arg(entryKey))
                .chain(reply -> {
                    if (!reply.ok()) {
                        return loadPage(load); // Redis failed: the database answers, nothing is written
                    }
                    String version = text(reply.value().get(0), "0") + "|";
                    String entry = text(reply.value().get(1), null);
                    Page hit = entry != null && entry.startsWith(version)
                            ? Page.parse(entry.substring(version.length()))
                            : null;
                    return hit != null ? hit(hit) : miss(entryKey, version, ttlSeconds, load);
                });
    }

    /**
     * A listing or search page; {@code key} names the query, the generation is added here. Two round trips.
     * {@code shortLived}: any query can make such an entry (search, filters, later pages), so it lives
     * {@code search-cache-ttl} instead of {@code cache-ttl}.
     */
    public Uni<Page> listing(String key, boolean shortLived, Supplier<Uni<?>> load) {
        if (!enabled) {
            return loadPage(load);
        }
        return read(Request.cmd(Command.GET).arg(GENERATION)).chain(generation -> {
            if (!generation.ok()) {
                return loadPage(load);
            }
            String entryKey = LISTING + "g" + text(generation.value(), "0") + ":" + key;
            return read(Request.cmd(Command.GET).arg(entryKey)).chain(entry -> {
                if (!entry.ok()) {
                    return loadPage(load);
                }
                String found = text(entry.value(), null);
                Page hit = found == null ? null : Page.parse(found);
                return hit != null ? hit(hit) : miss(entryKey, "", shortLived ? searchTtlSeconds : ttlSeconds, load);
            });
        });
    }

    private Uni<Page> hit(Page page) {
        hits.increment();
        return Uni.createFrom().item(page);
    }

    /**
     * Loads and stores a missing entry. Readers that miss the same entry (of the same version) at the same time share
     * one load, so an invalidation under load costs one database read per entry and replica, not one per reader;
     * each gets the answer back on its own Vert.x context.
     */
    private Uni<Page> miss(String entryKey, String prefix, long ttl, Supplier<Uni<?>> load) {
        misses.increment();
        String flight = prefix + entryKey;
        Uni<Page> shared = loading.computeIfAbsent(
                flight,
                key -> loadPage(load)
                        .call(page -> store(entryKey, prefix, ttl, page))
                        .onTermination()
                        .invoke(() -> loading.remove(key))
                        .memoize()
                        .indefinitely());
        Context context = Vertx.currentContext();
        return context == null ? shared : shared.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    /** Makes a product's cached detail and every cached listing stale. Call it only after the change committed. */
    public Uni<Void> productChanged(long id) {
        return productsChanged(List.of(id), true);
    }

    /**
     * {@link #productChanged} for many products at once, in one pipelined request: a drop changes the availability
     * of hundreds of products per batch. Should it fail, the old entries live at most {@code cache-ttl}; that is
     * counted and logged. {@code listings = false}: only the products' details are stale, not what listings show of
     * them (a stock count changed, but no SKU went in or out of stock), so a drop does not empty the listing cache
     * with every batch.
     */
    public Uni<Void> productsChanged(Collection<Long> ids, boolean listings) {
        return ids.isEmpty() ? Uni.createFrom().voidItem() : invalidate(ids, listings);
    }

    /** The products' versions and (with {@code listings}) the listing generation, in one pipelined request. */
    private Uni<Void> invalidate(Collection<Long> ids, boolean listings) {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        List<Request> requests = new ArrayList<>(ids.size() + 1);
        ids.stream()
                .distinct()
                .forEach(id -> requests.add(Request.cmd(Command.INCR).arg(PRODUCT_VERSION + id)));
        if (listings) {
            requests.add(Request.cmd(Command.INCR).arg(GENERATION));
        }
        return redis.batch(requests)
                .ifNoItem()
                .after(TIMEOUT.multipliedBy(3))
                .fail()
                .onFailure()
                .invoke(e -> failed("invalidate", e))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Serialises an answer as it is sent, with its ETag; null stays null. */
    public Page page(Object value) {
        if (value == null) {
            return null;
        }
        try {
            String text = json.writeValueAsString(value);
            return new Page(text, digest(text));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Catalogue answer not serialisable", e);
        }
    }

    private Uni<Page> loadPage(Supplier<Uni<?>> load) {
        return load.get().map(this::page);
    }

    /** A Redis reply, or {@code ok = false} when the call failed or timed out (already counted and logged). */
    private record Reply(Response value, boolean ok) {}

    private Uni<Reply> read(Request request) {
        return redis.send(request)
                .ifNoItem()
                .after(TIMEOUT)
                .fail()
                .map(value -> new Reply(value, true))
                .onFailure()
                .recoverWithItem(e -> {
                    failed("read", e);
                    return new Reply(null, false);
                });
    }

    private Uni<Void> store(String key, String prefix, long ttl, Page page) {
        if (page == null) {
            return Uni.createFrom().voidItem();
        }
        return redis.send(Request.cmd(Command.SETEX).arg(key).arg(ttl).arg(prefix + page.entry()))
                .ifNoItem()
                .after(TIMEOUT)
                .fail()
                .onFailure()
                .invoke(e -> failed("write", e))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private void failed(String operation, Throwable e) {
        failures.get(operation).increment();
        long now = System.currentTimeMillis();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_MS && lastWarning.compareAndSet(last, now)) {
            LOG.warnf(
                    "Catalogue cache failing (%s): answers come from the database%s: %s",
                    operation,
                    "invalidate".equals(operation)
                            ? ", changed entries may be served for up to " + ttlSeconds + " s"
                            : "",
                    e.toString());
        } else {
            LOG.debugf("Catalogue cache %s failed: %s", operation, e.toString());
        }
    }

    private static String text(Response value, String fallback) {
        return value == null ? fallback : value.toString();
    }

    /** 128 bits of SHA-256 of the text, base64url: ETags and cache keys. */
    public static String digest(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
