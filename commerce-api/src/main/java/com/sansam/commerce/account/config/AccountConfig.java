package com.sansam.commerce.account.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Everything about accounts and sessions that an operator may tune. */
@ConfigMapping(prefix = "sansam.account")
public interface AccountConfig {

    Throttle throttle();

    Admin admin();

    /** bcrypt cost factor (2^cost rounds). */
    @WithDefault("10")
    int bcryptCost();

    interface Throttle {
        /** Failed logins allowed for one account within the window before 429. */
        @WithDefault("5")
        int maxFailuresPerAccount();

        /** Failed logins allowed from one client address within the window before 429. */
        @WithDefault("20")
        int maxFailuresPerAddress();

        @WithDefault("PT15M")
        Duration window();
    }

    interface Admin {
        /** The first admin account, created at start-up when set and absent (ADMIN_EMAIL / ADMIN_PASSWORD). */
        Optional<String> email();

        Optional<String> password();

        @WithDefault("SanSam Admin")
        String name();
    }
}
