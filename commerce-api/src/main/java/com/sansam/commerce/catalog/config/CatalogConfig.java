package com.sansam.commerce.catalog.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "sansam.catalog")
public interface CatalogConfig {

    /** How long a cached product detail or listing page may live (it is also invalidated on change). */
    @WithDefault("PT10M")
    Duration cacheTtl();

    /**
     * How long a cached search, filtered or later page may live: any query can make one, so they stay shorter
     * (the cache's Redis should still run with a {@code maxmemory} and {@code volatile-lru}, see README).
     */
    @WithDefault("PT1M")
    Duration searchCacheTtl();

    /** The Redis cache of catalogue reads (CATALOG_CACHE_ENABLED); off, every read goes to the database. */
    @WithDefault("true")
    boolean cacheEnabled();

    /**
     * {@code Cache-Control: public, max-age=…, must-revalidate} of public catalogue reads (CATALOG_HTTP_MAX_AGE).
     * 0: browsers and CDNs keep the answer but ask again every time ({@code If-None-Match} → 304 when unchanged).
     */
    @WithDefault("PT0S")
    Duration httpMaxAge();

    /** Days of views and wishlist adds that count towards "popular". */
    @WithDefault("7")
    int popularityDays();

    /** Score of one view and one wishlist add. */
    @WithDefault("1")
    int viewScore();

    @WithDefault("5")
    int wishlistScore();

    /**
     * How long the stock gate keeps a SKU at zero at most (SOLD_OUT_MARK_TTL). Orders for it are refused at once (409
     * sold-out); the mark is cleared when the SKU's stock comes back, and expires by itself in case that news is lost.
     */
    @WithDefault("PT30S")
    Duration soldOutMarkTtl();

    /**
     * How long the stock gate keeps a SKU's availability after the last news of it (STOCK_GATE_TTL). A restock whose
     * news was lost is seen at the latest then; the next StockChanged or order placement refreshes it sooner.
     */
    @WithDefault("PT10M")
    Duration stockGateTtl();

    /**
     * How long a placed order's claim on units counts at most when its decision never arrives (STOCK_CLAIM_TTL):
     * the process placing it died between claiming and committing, or the decision was lost.
     */
    @WithDefault("PT30S")
    Duration stockClaimTtl();

    /**
     * How long a replica answers "sold out" for a SKU the stock gate just refused, without asking Redis again
     * (SOLD_OUT_HINT): after a drop's last unit is claimed, the rest of the rush costs no round trip. Only a hint: a
     * unit that comes back is offered again once it runs out (at once on the replica that hears of it).
     */
    @WithDefault("PT0.5S")
    Duration soldOutHint();

    /** Load the demo catalogue at start-up when the catalogue is empty (DEMO_CATALOGUE). */
    @WithDefault("false")
    boolean demo();
}
