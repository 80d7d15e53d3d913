package com.sansam.commerce.deal.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Production never seals draw seeds with a key everyone can read in this repository: start-up fails with a clear
 * message instead (dev and test use a local key).
 */
@ApplicationScoped
public class DrawSealKeyCheck {

    void check(@Observes StartupEvent event, DealConfig config) {
        if (LaunchMode.current() == LaunchMode.NORMAL
                && config.drawSealKey().map(String::length).orElse(0) < 32) {
            throw new IllegalStateException("DRAW_SEAL_KEY is not set (at least 32 characters; on Kubernetes: the "
                    + "Secret sansam-deals). Draw seeds stay sealed with it until their draw.");
        }
    }
}
