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

    /** Load the demo catalogue at start-up when the catalogue is empty (DEMO_CATALOGUE). */
    @WithDefault("false")
    boolean demo();
}
