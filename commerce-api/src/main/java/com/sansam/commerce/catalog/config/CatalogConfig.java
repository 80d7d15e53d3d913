package com.sansam.commerce.catalog.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "sansam.catalog")
public interface CatalogConfig {

    /** How long a cached product detail or first listing page may live (it is also invalidated on change). */
    @WithDefault("PT10M")
    Duration cacheTtl();

    /** Days of views and wishlist adds that count towards "popular". */
    @WithDefault("7")
    int popularityDays();

    /** Score of one view and one wishlist add. */
    @WithDefault("1")
    int viewScore();

    @WithDefault("5")
    int wishlistScore();

    /**
     * How long a "sold out" mark of a SKU lives in Redis at most. Orders for a marked SKU are refused at once (409
     * sold-out); the mark is cleared when the SKU's stock comes back, and expires by itself in case that news is lost.
     */
    @WithDefault("PT30S")
    Duration soldOutMarkTtl();

    /** Load the demo catalogue at start-up when the catalogue is empty (DEMO_CATALOGUE). */
    @WithDefault("false")
    boolean demo();
}
