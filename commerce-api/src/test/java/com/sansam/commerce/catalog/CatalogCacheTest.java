package com.sansam.commerce.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.commerce.catalog.service.CatalogCache;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The catalogue cache never keeps serving a state older than the last committed change. */
@QuarkusTest
class CatalogCacheTest {

    @Inject
    CatalogCache cache;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Test
    void aReaderThatLoadedBeforeAChangeCannotCacheTheOldStateAfterIt() throws Exception {
        long productId = 10_000_000L + ThreadLocalRandom.current().nextLong(1_000_000);
        CountDownLatch loading = new CountDownLatch(1);
        CompletableFuture<String> oldState = new CompletableFuture<>();

        // A reader misses and loads the product from the database (the old state)...
        CompletableFuture<CatalogCache.Page> reader = cache.product(productId, () -> {
                    loading.countDown();
                    return Uni.createFrom().completionStage(oldState);
                })
                .subscribeAsCompletionStage()
                .toCompletableFuture();
        assertTrue(loading.await(5, TimeUnit.SECONDS), "the reader loads");

        // ...the change commits and the cache is told, while that reader is still loading...
        cache.productChanged(productId).await().atMost(Duration.ofSeconds(5));

        // ...then the reader writes what it loaded: it must not become what others are served.
        oldState.complete("old");
        assertEquals("\"old\"", reader.get(5, TimeUnit.SECONDS).json());
        CatalogCache.Page served = cache.product(
                        productId, () -> Uni.createFrom().item("new"))
                .await()
                .atMost(Duration.ofSeconds(5));
        assertEquals("\"new\"", served.json());
        // and the fresh state is cached from then on, with its ETag
        CatalogCache.Page again = cache.product(
                        productId, () -> Uni.createFrom().item("newer"))
                .await()
                .atMost(Duration.ofSeconds(5));
        assertEquals(served, again);
        assertNotEquals(reader.get().etag(), served.etag(), "another state, another ETag");
    }

    @Test
    void readersMissingTheSameEntryTogetherShareOneLoad() throws Exception {
        long productId = 11_000_000L + ThreadLocalRandom.current().nextLong(1_000_000);
        java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
        CompletableFuture<String> database = new CompletableFuture<>();
        java.util.List<CompletableFuture<CatalogCache.Page>> readers = new java.util.ArrayList<>();
        double missesBefore = misses();
        for (int i = 0; i < 10; i++) {
            readers.add(cache.product(productId, () -> {
                        loads.incrementAndGet();
                        return Uni.createFrom().completionStage(database);
                    })
                    .subscribeAsCompletionStage()
                    .toCompletableFuture());
        }
        // every reader has missed (and so joined or started a load) before the database answers
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> misses() >= missesBefore + 10);
        database.complete("loaded once");
        for (CompletableFuture<CatalogCache.Page> reader : readers) {
            assertEquals("\"loaded once\"", reader.get(5, TimeUnit.SECONDS).json());
        }
        assertEquals(1, loads.get(), "one database load for ten simultaneous misses");
    }

    private double misses() {
        var counter = registry.find("sansam.catalog.cache.requests")
                .tag("result", "miss")
                .counter();
        return counter == null ? 0 : counter.count(); // registered when the cache is first used
    }
}
