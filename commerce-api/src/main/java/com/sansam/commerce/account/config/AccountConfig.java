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

    /** See {@code LoginThrottle}: failures count, never good logins; nothing a stranger does locks an owner out. */
    interface Throttle {
        /** Failed logins for one account from one client address within the window before that pair waits (429). */
        @WithDefault("5")
        int maxFailuresPerAccountAndAddress();

        /** Failed logins from one client address within the window before it waits (429), except on known devices. */
        @WithDefault("20")
        int maxFailuresPerAddress();

        @WithDefault("PT15M")
        Duration window();

        /**
         * Failed logins for one account from anywhere within {@link #accountWindow()} past which a login from a device
         * the owner has not logged in from before needs a code sent to the account's email (never a lockout).
         */
        @WithDefault("10")
        int accountCeiling();

        @WithDefault("PT1H")
        Duration accountWindow();

        /** How long a device stays known after the owner's last good login on it (the SANSAM_DEVICE cookie). */
        @WithDefault("P180D")
        Duration deviceTtl();

        /** How long an emailed login code is valid, how many tries it allows, and how soon a new one may be sent. */
        @WithDefault("PT10M")
        Duration codeTtl();

        @WithDefault("5")
        int codeAttempts();

        @WithDefault("PT1M")
        Duration codeResendAfter();
    }

    interface Admin {
        /** The first admin account, created at start-up when set and absent (ADMIN_EMAIL / ADMIN_PASSWORD). */
        Optional<String> email();

        Optional<String> password();

        @WithDefault("SanSam Admin")
        String name();
    }
}
