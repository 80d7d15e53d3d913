package com.sansam.commerce.payment.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The production profile never runs on the simulator's test key: start-up fails with a clear message when
 * {@code TOSS_SECRET_KEY} is missing (dev and test profiles fall back to the simulator's key).
 */
@ApplicationScoped
public class TossSecretCheck {

    void check(@Observes StartupEvent event, @ConfigProperty(name = "sansam.toss.secret-key") Optional<String> key) {
        if (LaunchMode.current() == LaunchMode.NORMAL
                && key.map(String::isBlank).orElse(true)) {
            throw new IllegalStateException(
                    "TOSS_SECRET_KEY is not set. The prod profile needs the Toss Payments secret key "
                            + "(on Kubernetes: the Secret sansam-toss; for a local run against the simulator: TOSS_SECRET_KEY=test_sk_local_simulator)");
        }
    }
}
