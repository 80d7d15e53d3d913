package com.sansam.stock.inventory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "sansam.stock")
public interface StockConfig {

    /** LowStock fires when a SKU's available units fall to this or below (luxury items: a handful). */
    @WithDefault("2")
    int lowStockThreshold();

    /** How often expired reservations are looked for. */
    @WithDefault("1s")
    String expiryInterval();

    /** Reservations expired per round. */
    @WithDefault("200")
    int expiryBatchSize();
}
