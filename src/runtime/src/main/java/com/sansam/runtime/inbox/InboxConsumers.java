package com.sansam.runtime.inbox;

import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.runtime.outbox.SafeContexts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Keeps every incoming channel consuming. Each {@link MessageHandler} hands its channel's stream (injected with
 * {@code @Channel}) to {@link #consume}; messages run through the {@link InboxProcessor} with bounded concurrency.
 * <p>
 * The RabbitMQ connector's stream can die after a broker restart (smallrye-reactive-messaging #1906/#2424: after
 * the Vert.x client's own reconnect the consumer ignores back-pressure, the stream fails with
 * {@code BackPressureFailure} and nothing consumes any more). The services therefore let the RabbitMQ Java
 * client recover connections itself ({@code automatic-recovery-enabled}: prefetch, consumers and delivery tags
 * are restored correctly) and, should a stream still fail or end, this supervisor says so at once (ERROR log
 * naming the channel, readiness DOWN, {@code sansam_consumer_up} 0, {@code sansam_consumer_restarts_total}) and
 * subscribes again with backoff, which creates a fresh broker consumer. Messages the dead stream held unacked
 * are redelivered by the broker once their channel closes; the inbox makes the second delivery harmless.
 */
@ApplicationScoped
public class InboxConsumers {

    private static final Logger LOG = Logger.getLogger(InboxConsumers.class);

    private final InboxProcessor inbox;
    private final InboxConfig config;
    private final MeterRegistry registry;
    private final Vertx vertx;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();

    public InboxConsumers(InboxProcessor inbox, InboxConfig config, MeterRegistry registry, Vertx vertx) {
        this.inbox = inbox;
        this.config = config;
        this.registry = registry;
        this.vertx = vertx;
    }

    /**
     * Starts consuming the channel's stream for the life of the service in {@code sansam.inbox.concurrency.<channel>}
     * lanes (default 1). Each message goes to the lane of its aggregate: messages of one aggregate (an order, a SKU)
     * are processed one after the other in the order they arrived, different aggregates in parallel.
     */
    public void consume(String channel, Multi<Message<String>> messages) {
        int laneCount = Math.max(1, config.concurrency().getOrDefault(channel, 1));
        State state = states.computeIfAbsent(channel, name -> new State(name, registry));
        Lane[] lanes = new Lane[laneCount];
        for (int i = 0; i < laneCount; i++) {
            lanes[i] = new Lane(channel, registry);
        }
        Multi.createFrom()
                .deferred(() -> messages)
                .onSubscription()
                .invoke(state::subscribed)
                // A stream that ends while the service runs has lost its broker consumer: treat it as a failure.
                .onCompletion()
                .failWith(() -> new IllegalStateException("the message stream ended"))
                .onFailure()
                .invoke(failure -> {
                    if (!stopping.get()) {
                        state.failed(failure);
                    }
                })
                .onFailure(failure -> !stopping.get())
                .retry()
                .withBackOff(config.consumerRestartBackoff(), config.consumerRestartMaxBackoff())
                .indefinitely()
                // Unbounded demand is safe: the broker never hands out more than the prefetch (unacked) at once.
                .subscribe()
                .with(
                        message -> {
                            // a bundle's messages each go to their aggregate's lane
                            for (Message<String> one : BundledMessages.split(message)) {
                                lanes[lane(one, laneCount)].offer(one);
                            }
                        },
                        failure -> LOG.debugf("Consumer of %s stopped: %s", channel, failure));
    }

    /**
     * The messages of some aggregates, processed one batch after the other in arrival order. A batch is whatever has
     * arrived while the previous one was processed (at most {@code sansam.inbox.batch-size}): one message at a time
     * when it is quiet, a group commit of many under load, without waiting for a batch to fill.
     */
    private final class Lane {
        private final String channel;
        private final java.util.Queue<Message<String>> queue = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final AtomicBoolean busy = new AtomicBoolean();
        /** Each lane on an event loop of its own: the broker hands every message over on one thread. */
        private final io.vertx.core.Context context;

        private final io.micrometer.core.instrument.Timer batchTime;
        private final io.micrometer.core.instrument.DistributionSummary batchSize;

        Lane(String channel, MeterRegistry registry) {
            this.channel = channel;
            this.context = SafeContexts.newEventLoopContext(vertx);
            this.batchTime = io.micrometer.core.instrument.Timer.builder("sansam.inbox.batch")
                    .description("Time to process and settle one batch of a lane")
                    .tag("channel", channel)
                    .publishPercentiles(0.5, 0.99)
                    .register(registry);
            this.batchSize = io.micrometer.core.instrument.DistributionSummary.builder("sansam.inbox.batch.size")
                    .description("Messages in one batch of a lane")
                    .tag("channel", channel)
                    .register(registry);
        }

        void offer(Message<String> message) {
            queue.add(message);
            drain();
        }

        private void drain() {
            if (!busy.compareAndSet(false, true)) {
                return;
            }
            java.util.List<Message<String>> batch = new java.util.ArrayList<>();
            for (Message<String> next; batch.size() < config.batchSize() && (next = queue.poll()) != null; ) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                busy.set(false);
                if (!queue.isEmpty()) {
                    drain(); // a message arrived between the poll and the reset
                }
                return;
            }
            batchSize.record(batch.size());
            long started = System.nanoTime();
            SafeContexts.onSafeContext(context, () -> inbox.consumeAll(channel, batch))
                    .eventually(() ->
                            batchTime.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS))
                    .subscribe()
                    .with(ignored -> next(), failure -> {
                        LOG.errorf(failure, "Messages of %s were not settled", channel);
                        next();
                    });
        }

        private void next() {
            busy.set(false);
            context.runOnContext(ignored -> drain()); // not on the caller's stack
        }
    }

    /** The lane of the message's aggregate (an unreadable message goes to lane 0 and is dead-lettered there). */
    static int lane(Message<String> message, int lanes) {
        if (lanes == 1) {
            return 0;
        }
        try {
            Envelope envelope = Messages.envelope(IncomingMessages.bodyOf(message.getPayload()));
            return Math.floorMod(java.util.Objects.hash(envelope.aggregateType(), envelope.aggregateId()), lanes);
        } catch (RuntimeException unreadable) {
            return 0;
        }
    }

    /** Whether every channel has a live subscription (false while one waits to be subscribed again). */
    public Map<String, Boolean> status() {
        Map<String, Boolean> status = new java.util.TreeMap<>();
        states.forEach((channel, state) -> status.put(channel, state.up));
        return status;
    }

    void stopping(@Observes ShutdownEvent event) {
        stopping.set(true);
    }

    private static final class State {
        private final String channel;
        private final Counter restarts;
        private volatile boolean up;
        private volatile boolean everSubscribed;

        State(String channel, MeterRegistry registry) {
            this.channel = channel;
            this.restarts = registry.counter("sansam.consumer.restarts", "channel", channel);
            Gauge.builder("sansam.consumer.up", this, s -> s.up ? 1 : 0)
                    .tag("channel", channel)
                    .register(registry);
        }

        void subscribed() {
            if (everSubscribed) {
                restarts.increment();
                LOG.warnf("Consumer of channel %s subscribed again", channel);
            }
            everSubscribed = true;
            up = true;
        }

        void failed(Throwable failure) {
            up = false;
            LOG.errorf("Consumer of channel %s died (%s); subscribing again with backoff", channel, failure.toString());
        }
    }
}
