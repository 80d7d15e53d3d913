package com.sansam.commerce.account.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The production profile never signs email links with a key everyone can read in this repository, nor sends SMS
 * without credentials: start-up fails with a clear message instead (dev and test fall back to local values).
 */
@ApplicationScoped
public class VerificationSecretsCheck {

    void check(@Observes StartupEvent event, AccountConfig config) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        if (config.verification().linkSecret().map(String::length).orElse(0) < 32) {
            throw new IllegalStateException("EMAIL_LINK_SECRET is not set (at least 32 characters; on Kubernetes: the "
                    + "Secret sansam-verification). Email verification links are signed with it.");
        }
        if (config.sms().apiKey().map(String::isBlank).orElse(true)
                || config.sms().apiSecret().map(String::isBlank).orElse(true)) {
            throw new IllegalStateException("SOLAPI_API_KEY / SOLAPI_API_SECRET are not set (on Kubernetes: the Secret "
                    + "sansam-verification). Phone verification sends its codes through Solapi.");
        }
    }
}
