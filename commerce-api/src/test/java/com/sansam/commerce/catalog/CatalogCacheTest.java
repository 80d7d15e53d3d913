package com.sansam.commerce.catalog;

import com.sansam.commerce.catalog.service.CatalogCache;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalogue cache never keeps serving a state older than the last committed change. */
@QuarkusTest
class CatalogCacheTest {

    @Inject
    CatalogCache cache;

    @Test
    void aReaderThatLoadedBeforeAChangeCannotCacheTheOldStateAfterIt() throws Exception {
        long productId = 10_000_000L + ThreadLocalRandom.current().nextLong(1_000_000);
        CountDownLatch loading = new CountDownLatch(1);
        CompletableFuture<String> oldState = new CompletableFuture<>();

        // A reader misses and loads the product from the database (the old state)...
        CompletableFuture<CatalogCache.Page> reader = cache.product(productId, () -> {
            loading.countDown();
            return Uni.createFrom().completionStage(oldState);
        }).subscribeAsCompletionStage().toCompletableFuture();
        assertTrue(loading.await(5, TimeUnit.SECONDS), "the reader loads");

        // ...the change commits and the cache is told, while that reader is still loading...
        cache.productChanged(productId).await().atMost(Duration.ofSeconds(5));

        // ...then the reader writes what it loaded: it must not become what others are served.
        oldState.complete("old");
        assertEquals("\"old\"", reader.get(5, TimeUnit.SECONDS).json());
        CatalogCache.Page served = cache.product(productId, () -> Uni.createFrom().item("new"))
                .await().atMost(Duration.ofSeconds(5));
        assertEquals("\"new\"", served.json());
        // and the fresh state is cached from then on, with its ETag
        CatalogCache.Page again = cache.product(productId, () -> Uni.createFrom().item("newer")).await().atMost(Duration.ofSeconds(5));
        assertEquals(served, again);
        assertNotEquals(reader.get().etag(), served.etag(), "another state, another ETag");
    }
}
