package com.sansam.commerce.account.service;

import com.sansam.commerce.account.config.AccountConfig;
import com.sansam.contracts.problem.ApiException;
import com.sansam.contracts.ratelimit.FixedWindows;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts login attempts per account and per client address in Redis (fixed window), before the password is
 * checked; a good login takes its attempt back, so what remains counted are failures and attempts in flight. Past
 * the limit a login answers 429 with Retry-After until the window ends, even with the right password.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final String PREFIX = "sansam:login-failures:";

    private final FixedWindows windows;
    private final AccountConfig.Throttle config;

    public LoginThrottle(FixedWindows windows, AccountConfig config) {
        this.windows = windows;
        this.config = config.throttle();
    }

    /**
     * Counts this attempt against the account and the address first, then fails with 429 when either is past its
     * limit: parallel guesses cannot all pass a check before any of them is counted. A successful login takes its
     * attempt back ({@link #succeeded}).
     */
    public Uni<Void> attempt(String email, String address) {
        return windows.take(accountKey(email), config.maxFailuresPerAccount(), config.window())
                .chain(accountWait -> accountWait > 0 ? Uni.createFrom().item(accountWait)
                        : windows.take(addressKey(address), config.maxFailuresPerAddress(), config.window()))
                .invoke(wait -> {
                    if (wait > 0) {
                        throw ApiException.tooManyRequests("Too many failed logins; try again later", wait);
                    }
                })
                .replaceWithVoid();
    }

    /** The attempt was good: the account starts afresh, the address gets this attempt back. */
    public Uni<Void> succeeded(String email, String address) {
        return windows.reset(accountKey(email)).chain(() -> windows.giveBack(addressKey(address)));
    }

    private static String accountKey(String email) {
        return PREFIX + "account:" + email;
    }

    private static String addressKey(String address) {
        return PREFIX + "address:" + address;
    }
}
