package com.sansam.runtime.testing;

import io.quarkus.test.junit.callback.QuarkusTestBeforeClassCallback;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * Every {@code @QuarkusTest} of the platform looks at once and then every 20 ms while it awaits something, instead of
 * Awaitility's defaults (the first look after 100 ms, then every 100 ms): a condition already true costs nothing, and
 * one that becomes true is seen within 20 ms. A test that needs a delay before its first look says so
 * ({@code pollDelay}). Registered for the Quarkus test class loader (META-INF/services), where the tests' Awaitility
 * lives; a JUnit extension would set the defaults of another copy of it.
 */
public class PromptAwaits implements QuarkusTestBeforeClassCallback {

    @Override
    public void beforeClass(Class<?> testClass) {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(20));
    }
}
