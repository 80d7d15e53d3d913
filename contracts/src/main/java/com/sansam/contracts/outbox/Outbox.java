package com.sansam.contracts.outbox;

import com.sansam.contracts.Envelope;
import com.sansam.contracts.Messages;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * Records a message to publish. Call it inside the transaction of the business change: both commit or
 * neither does. {@link OutboxRelay} publishes it afterwards (call {@link OutboxRelay#nudge()} after the commit
 * to publish at once instead of at the next poll).
 */
@ApplicationScoped
public class Outbox {

    public Uni<Envelope> add(String exchange, String aggregateType, String aggregateId, Object payload) {
        Envelope envelope = Messages.wrap(aggregateType, aggregateId, payload);
        OutboxMessage row = new OutboxMessage();
        row.messageId = envelope.messageId();
        row.exchange = exchange;
        row.routingKey = envelope.type();
        row.aggregateType = aggregateType;
        row.aggregateId = aggregateId;
        row.body = Messages.toJson(envelope);
        row.createdAt = envelope.occurredAt();
        row.nextAttemptAt = Instant.now();
        return row.persist().replaceWith(envelope);
    }
}
