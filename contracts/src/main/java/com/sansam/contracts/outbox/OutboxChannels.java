package com.sansam.contracts.outbox;

import io.smallrye.reactive.messaging.MutinyEmitter;

/** Each service maps the exchanges it publishes to onto its outgoing RabbitMQ channels. */
public interface OutboxChannels {

    /** The emitter of the channel bound to this exchange, or null when the service does not publish there. */
    MutinyEmitter<String> emitterFor(String exchange);
}
