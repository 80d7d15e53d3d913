package com.sansam.commerce.storefront.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

@ConfigMapping(prefix = "sansam.storefront")
public interface StorefrontConfig {

    /**
     * The payment page the storefront sends a buyer to (Toss's checkout in production; the simulator's page, which
     * behaves like it, in local runs and tests). It comes back to {@code successUrl}/{@code failUrl}.
     */
    String paymentPageUrl();

    /**
     * Where the storefront reaches chat-gateway ({@code /api/v1/chat}, {@code /ws/chat}): empty = this origin (behind
     * the ingress); {@code :8081} = this page's host on that port (the local run); or an absolute origin
     * (CHAT_PUBLIC_URL). The gateway must admit the storefront's origin (CHAT_ALLOWED_ORIGINS).
     */
    Optional<String> chatUrl();
}
