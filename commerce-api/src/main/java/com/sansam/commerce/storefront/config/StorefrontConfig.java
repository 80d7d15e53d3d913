package com.sansam.commerce.storefront.config;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "sansam.storefront")
public interface StorefrontConfig {

    /**
     * The payment page the storefront sends a buyer to (Toss's checkout in production; the simulator's page, which
     * behaves like it, in local runs and tests). It comes back to {@code successUrl}/{@code failUrl}.
     */
    String paymentPageUrl();
}
