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

    Verification verification();

    Signup signup();

    Sms sms();

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

    /** Email links and phone codes (docs/shop.md "Verified buyers"). */
    interface Verification {
        /**
         * The key email links are signed with (HMAC-SHA256; EMAIL_LINK_SECRET, at least 32 characters). Rotating it
         * voids the links in flight; accounts ask for a new one.
         */
        Optional<String> linkSecret();

        /** How long an email link is valid. */
        @WithDefault("PT24H")
        Duration linkTtl();

        /** How soon another email link may be sent to the account, and how many in a day. */
        @WithDefault("PT1M")
        Duration linkResendAfter();

        @WithDefault("10")
        int maxLinksPerDay();

        /** How long an SMS code is valid, and how many tries it allows before it is void. */
        @WithDefault("PT3M")
        Duration codeTtl();

        @WithDefault("5")
        int codeAttempts();

        /** How soon another code may be sent to one phone (a code in flight stays valid meanwhile). */
        @WithDefault("PT1M")
        Duration codeResendAfter();

        /** Codes per phone, and per client address, within {@link #codeWindow()}. */
        @WithDefault("5")
        int maxCodesPerPhone();

        @WithDefault("20")
        int maxCodesPerAddress();

        @WithDefault("PT1H")
        Duration codeWindow();
    }

    interface Signup {
        /**
         * Signups from one client address within {@link #window()} (429 past it). Benches that sign up thousands of
         * buyers from one machine raise it (SIGNUP_MAX_PER_ADDRESS); the manifest check keeps production at the default.
         */
        @WithDefault("10")
        int maxPerAddress();

        @WithDefault("PT1H")
        Duration window();
    }

    /**
     * The SMS provider (Solapi's message API, https://docs.solapi.com; base URL: quarkus.rest-client.sms.url). Locally
     * and in tests, the simulator in src/sms-simulator.
     */
    interface Sms {
        /** SOLAPI_API_KEY / SOLAPI_API_SECRET: the HMAC-SHA256 credentials of the provider account. */
        Optional<String> apiKey();

        Optional<String> apiSecret();

        /** The sender number registered with the provider (SMS_SENDER). */
        String sender();
    }

    interface Admin {
        /** The first admin account, created at start-up when set and absent (ADMIN_EMAIL / ADMIN_PASSWORD). */
        Optional<String> email();

        Optional<String> password();

        @WithDefault("SanSam Admin")
        String name();
    }
}
