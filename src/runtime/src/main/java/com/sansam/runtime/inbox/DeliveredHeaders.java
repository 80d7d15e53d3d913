package com.sansam.runtime.inbox;

/** What a message consumed by {@link ShardedQueues} carried besides its body (the W3C trace context, or null). */
public record DeliveredHeaders(String traceParent) {}
