package com.sansam.chat.realtime.fanout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sansam.chat.config.ChatConfig;
import com.sansam.chat.realtime.hub.ChatHub;
import com.sansam.chat.room.model.RoomEvent;
import com.sansam.chat.room.service.RoomEvents;
import com.sansam.runtime.tracing.MessageTraces;
import io.opentelemetry.api.common.AttributeKey;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Cross-replica fan-out over Redis pub/sub: every change is published once, after its transaction commits (a batch
 * of sends as one message), and every replica (this one included) hands it to {@link ChatHub} for the connections it
 * holds, messages through {@link RoomOrder} (a room's messages in commit order, a missed one read from PostgreSQL
 * when the next one shows the gap). Pub/sub keeps nothing: a replica that was not subscribed misses the other
 * events, and its clients catch up with {@code resume}.
 */
@ApplicationScoped
public class Fanout implements RoomEvents {

    private static final Logger LOG = Logger.getLogger(Fanout.class);
    /** The room a span is about (on the send span and on every delivery span). */
    public static final AttributeKey<Long> ROOM = AttributeKey.longKey("sansam.room");

    private static final TypeReference<List<RoomEvent>> EVENTS = new TypeReference<>() {};

    private final ReactivePubSubCommands<String> pubsub;
    private final ObjectMapper json;
    private final ChatHub hub;
    private final RoomOrder order;
    private final String channel;
    private final MessageTraces traces;
    private volatile Cancellable subscription;

    public Fanout(
            ReactiveRedisDataSource redis,
            ObjectMapper json,
            ChatHub hub,
            RoomOrder order,
            ChatConfig config,
            MessageTraces traces) {
        this.traces = traces;
        this.order = order;
        this.pubsub = redis.pubsub(String.class);
        this.json = json;
        this.hub = hub;
        this.channel = config.fanoutChannel();
    }

    void start(@Observes StartupEvent event) {
        subscription = pubsub.subscribe(channel)
                .onFailure()
                .invoke(e -> LOG.warnf("Fan-out subscription lost (%s); resubscribing", e.toString()))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .indefinitely()
                .subscribe()
                .with(this::deliver);
    }

    void stop(@Observes ShutdownEvent event) {
        Cancellable current = subscription;
        if (current != null) {
            current.cancel();
        }
    }

    /**
     * Publishes to every replica, as one pub/sub message (a JSON array), so the events keep their order. A Redis
     * outage loses live delivery only: the change itself is committed.
     */
    @Override
    public Uni<Void> publish(List<RoomEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String text;
        try {
            text = json.writeValueAsString(events);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return pubsub.publish(channel, text)
                .onFailure()
                .invoke(e -> LOG.warnf(
                        "Fan-out of %d events (first %s in room %d) failed: %s",
                        events.size(), events.get(0).kind(), events.get(0).roomId(), e))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private void deliver(String text) {
        List<RoomEvent> events;
        try {
            events = json.readValue(text, EVENTS);
        } catch (Exception e) {
            LOG.warnf("Dropping an unreadable fan-out message: %s", e.toString());
            return;
        }
        for (RoomEvent event : events) {
            deliver(event);
        }
    }

    private void deliver(RoomEvent event) {
        if (event.traceParent() == null) {
            route(event);
            return;
        }
        // a message: its delivery on this replica is a span of the sender's trace
        MessageTraces.Handling span = traces.handling("chat-fanout", null, event.traceParent());
        span.span().setAttribute(ROOM, event.roomId());
        try {
            route(event);
            span.end(null);
        } catch (RuntimeException e) {
            span.end(e);
            throw e;
        }
    }

    /** Messages go through {@link RoomOrder} (a room's commit order), every other event straight to the hub. */
    private void route(RoomEvent event) {
        if (RoomEvent.MESSAGE.equals(event.kind())) {
            order.arrived(event);
        } else {
            hub.deliver(event);
        }
    }
}
