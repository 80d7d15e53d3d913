package com.sansam.runtime.outbox;

import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.runtime.tracing.MessageTraces;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Records a message to publish. Call it inside the transaction of the business change: both commit or
 * neither does. {@link OutboxRelay} publishes it afterwards (call {@link OutboxRelay#nudge()} after the commit
 * to publish at once instead of at the next poll).
 * <p>
 * {@link #add} writes through the Hibernate Reactive session of the caller; {@link #addAll} writes many messages
 * with one statement on a SQL client connection, for code that runs its transaction on the reactive client.
 * Each row keeps the trace it belongs to ({@link MessageTraces#traceParentFor}), which the relay continues.
 */
@ApplicationScoped
public class Outbox {

    /**
     * One message to record: where it goes and what it says; {@code traceParent} names the work it belongs to when that
     * is not the current span (work written in a batch for many callers), else null.
     */
    public record Pending(
            String exchange, String aggregateType, String aggregateId, Object payload, String traceParent) {

        public Pending(String exchange, String aggregateType, String aggregateId, Object payload) {
            this(exchange, aggregateType, aggregateId, payload, null);
        }
    }

    private static final String INSERT_ALL = "insert into outbox " + selectFrom(1, "") + " order by m.n";

    /**
     * The column list and {@code select} of an insert of the messages bound as the seven arrays of {@link #columns} at
     * {@code $first} to {@code $first+6}, joined to the rows of {@code from} (for example {@code ", o"}: one set of
     * messages per row of a data-modifying CTE {@code o}, so that a statement writes a business row and its messages
     * together, or neither).
     */
    public static String selectFrom(int first, String from) {
        StringBuilder arrays = new StringBuilder();
        String[] types = {"uuid", "text", "text", "text", "text", "text", "text"};
        for (int i = 0; i < types.length; i++) {
            arrays.append(i == 0 ? "" : ", ")
                    .append('$')
                    .append(first + i)
                    .append("::")
                    .append(types[i])
                    .append("[]");
        }
        return """
                (message_id, exchange, routing_key, aggregate_type, aggregate_id, body, trace_parent, created_at,
                 next_attempt_at)
                select m.id, m.exchange, m.routing_key, m.aggregate_type, m.aggregate_id, m.body, m.trace_parent, now(),
                       now()
                from unnest(%s)
                     with ordinality as m(id, exchange, routing_key, aggregate_type, aggregate_id, body, trace_parent, n)%s""".formatted(arrays, from);
    }

    private final MessageTraces traces;

    public Outbox(MessageTraces traces) {
        this.traces = traces;
    }

    public Uni<Envelope> add(Pending message) {
        return add(message.exchange(), message.aggregateType(), message.aggregateId(), message.payload());
    }

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
        row.traceParent = traces.traceParentFor(aggregateType, aggregateId);
        return row.persist().replaceWith(envelope);
    }

    /** Records the messages, in the given order, in the transaction running on {@code connection}. */
    public Uni<Void> addAll(SqlConnection connection, List<Pending> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection
                .preparedQuery(INSERT_ALL)
                .execute(Tuple.from(columns(messages)))
                .replaceWithVoid();
    }

    /** The messages as the seven arrays that {@link #selectFrom} binds, in its order. */
    public List<Object> columns(List<Pending> messages) {
        int n = messages.size();
        UUID[] ids = new UUID[n];
        String[] exchanges = new String[n];
        String[] routingKeys = new String[n];
        String[] aggregateTypes = new String[n];
        String[] aggregateIds = new String[n];
        String[] bodies = new String[n];
        String[] traceParents = new String[n];
        for (int i = 0; i < n; i++) {
            Pending message = messages.get(i);
            Envelope envelope = Messages.wrap(message.aggregateType(), message.aggregateId(), message.payload());
            ids[i] = envelope.messageId();
            exchanges[i] = message.exchange();
            routingKeys[i] = envelope.type();
            aggregateTypes[i] = message.aggregateType();
            aggregateIds[i] = message.aggregateId();
            bodies[i] = Messages.toJson(envelope);
            traceParents[i] = message.traceParent() != null
                    ? message.traceParent()
                    : traces.traceParentFor(message.aggregateType(), message.aggregateId());
        }
        return List.of(ids, exchanges, routingKeys, aggregateTypes, aggregateIds, bodies, traceParents);
    }
}
