package com.sansam.messages;

/** Facts about users that commerce-api publishes (the chat-gateway keeps its own copy). Aggregate: user id. */
public final class UserEvents {

    private UserEvents() {}

    public record UserRegistered(long userId, String name, Long annualIncome) {}

    public record UserProfileChanged(long userId, String name, Long annualIncome) {}

    public record UserWithdrawn(long userId) {}

    /** Lifetime paid spend in KRW after a payment or refund. */
    public record LifetimeSpendChanged(long userId, long lifetimeSpend) {}
}
