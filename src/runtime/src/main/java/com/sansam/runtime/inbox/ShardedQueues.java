package com.sansam.runtime.inbox;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.sansam.runtime.broker.BrokerConnections;
import com.sansam.runtime.broker.Topology;
import com.sansam.runtime.db.MessagingPool;
import com.sansam.runtime.tracing.MessageTraces;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * Consumes a sharded queue ({@link Topology.Route#sharded()}) together with the service's other replicas: each
 * replica subscribes only to the shards whose lease it holds ({@link ShardLeases}), about an equal share each, so that
 * adding replicas adds consumers, while every shard (a queue with a single active consumer) is still consumed by one
 * replica at a time, in order.
 * <p>
 * Handing a shard over keeps its order: a replica giving a shard back (its share shrank because another replica
 * joined, or it stops) first cancels its subscription, lets every message it was handed be processed and settled,
 * closes the shard's channel and only then gives the lease back; the next holder subscribes after that. A replica that
 * dies leaves its shards' messages unacknowledged: the broker takes them back when its connection closes and the
 * next holder, once the lease expired ({@code sansam.inbox.shard-lease-ttl}), receives them first and in order (the
 * inbox drops any it had already applied). A replica that lost a lease it did not give back (it could not renew in
 * time) closes that shard's channel at once. The RabbitMQ Java client recovers the connection, its channels and
 * consumers after a broker failure (a cluster: on another node).
 */
@ApplicationScoped
public class ShardedQueues {

    private static final Logger LOG = Logger.getLogger(ShardedQueues.class);

    private final BrokerConnections connections;
    private final MessagingPool pool;
    private final InboxConfig config;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final String replica;
    private final List<Consumption> running = new CopyOnWriteArrayList<>();

    public ShardedQueues(
            BrokerConnections connections,
            MessagingPool pool,
            InboxConfig config,
            Vertx vertx,
            MeterRegistry registry) {
        this.connections = connections;
        this.pool = pool;
        this.config = config;
        this.vertx = vertx;
        this.registry = registry;
        String host = System.getenv().getOrDefault("HOSTNAME", "local");
        this.replica = host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The messages of the route's shards this replica holds, for as long as the stream is subscribed (hand it to
     * {@link InboxConsumers#consume}). Each message is acknowledged or dead-lettered when the inbox settles it.
     */
    public Multi<Message<String>> consume(Topology.Route route) {
        if (!route.sharded()) {
            throw new IllegalArgumentException(route.queue() + " is not sharded");
        }
        // one gauge per queue, reading whichever subscription runs now (Micrometer keeps the first registration)
        Gauge.builder(
                        "sansam.shards.held",
                        this,
                        queues -> queues.held(route.queue()).size())
                .description("Shards of a sharded queue this replica consumes")
                .tag("queue", route.queue())
                .register(registry);
        return Multi.createFrom()
                .emitter(
                        emitter -> {
                            Consumption consumption = new Consumption(route, emitter);
                            running.add(consumption);
                            emitter.onTermination(() -> {
                                running.remove(consumption);
                                consumption.stop();
                            });
                            consumption.start();
                        },
                        BackPressureStrategy.BUFFER);
    }

    /** The shards of the queue this replica consumes now. */
    public Set<Integer> held(String queue) {
        return running.stream()
                .filter(c -> c.route.queue().equals(queue))
                .findFirst()
                .map(c -> Set.copyOf(c.shards.keySet()))
                .orElse(Set.of());
    }

    void stop(@Observes ShutdownEvent event) {
        running.forEach(Consumption::stop);
    }

    private interface ChannelAction {
        void run(Channel channel) throws IOException;
    }

    /** One shard this replica consumes: its channel, subscription and the messages handed out but not settled. */
    private static final class Shard {
        final int index;
        final Channel channel;
        final AtomicInteger unsettled = new AtomicInteger();
        volatile String tag;
        volatile boolean draining;

        Shard(int index, Channel channel) {
            this.index = index;
            this.channel = channel;
        }
    }

    /** One subscription of the stream: the leases of one queue, and the shards held. */
    private final class Consumption {
        final Topology.Route route;
        final MultiEmitter<? super Message<String>> emitter;
        final ShardLeases leases;
        final Map<Integer, Shard> shards = new ConcurrentHashMap<>();
        final AtomicBoolean ticking = new AtomicBoolean();
        /** Every call of the broker client, one at a time, off the event loops. */
        final ExecutorService broker;

        volatile Connection connection;
        volatile boolean stopped;
        /** When the leases were last renewed (System.nanoTime). */
        volatile long renewed = System.nanoTime();

        long timer = -1;

        Consumption(Topology.Route route, MultiEmitter<? super Message<String>> emitter) {
            this.route = route;
            this.emitter = emitter;
            this.leases = new ShardLeases(pool.get(), route.queue(), route.shards(), replica, config.shardLeaseTtl());
            this.broker = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "shards " + route.queue());
                thread.setDaemon(true);
                return thread;
            });
        }

        void start() {
            timer = vertx.setPeriodic(1, config.shardLeaseTick().toMillis(), id -> tick());
        }

        /** Renews the leases, drops lost shards, claims up to the fair share or gives back what is beyond it. */
        void tick() {
            if (!ticking.compareAndSet(false, true)) {
                return;
            }
            // while stopping, the leases are still renewed (not claimed or given back): nobody else may take a
            // shard before its channel is closed
            leases.renew()
                    .invoke(renewal -> renewed = System.nanoTime())
                    .chain(renewal -> stopped ? Uni.createFrom().voidItem() : adjust(renewal))
                    .subscribe()
                    .with(ok -> ticking.set(false), failure -> {
                        LOG.debugf("Renewing the shard leases of %s failed: %s", route.queue(), failure);
                        // leases not renewed within their time to live are the others' now: let the broker hand
                        // the shards to them rather than hold what this replica cannot apply anyway
                        if (!stopped
                                && System.nanoTime() - renewed
                                        > config.shardLeaseTtl().toNanos()) {
                            shards.values().forEach(this::abort);
                        }
                        ticking.set(false);
                    });
        }

        private Uni<Void> adjust(ShardLeases.Renewal renewal) {
            if (stopped) {
                return Uni.createFrom().voidItem();
            }
            shards.values().stream()
                    .filter(shard -> !renewal.held().contains(shard.index))
                    .forEach(this::abort);
            renewal.held().stream().filter(k -> !shards.containsKey(k)).forEach(this::open);
            long keeping = renewal.held().stream()
                    .filter(k -> shards.get(k) == null || !shards.get(k).draining)
                    .count();
            if (keeping > renewal.fairShare()) {
                renewal.held().stream()
                        .sorted(java.util.Comparator.reverseOrder())
                        .filter(k -> shards.get(k) != null && !shards.get(k).draining)
                        .limit(keeping - renewal.fairShare())
                        .forEach(this::giveBack);
                return Uni.createFrom().voidItem();
            }
            if (keeping < renewal.fairShare()) {
                // shards are claimed only with a connection to consume them on (else they would sit idle, held)
                return brokerReachable()
                        .chain(reachable -> !reachable
                                ? Uni.createFrom().voidItem()
                                : leases.claim((int) (renewal.fairShare() - keeping))
                                        .invoke(claimed -> {
                                            if (!claimed.isEmpty()) {
                                                LOG.infof(
                                                        "Replica %s takes shards %s of %s",
                                                        replica, claimed, route.queue());
                                            }
                                            claimed.forEach(this::open);
                                        })
                                        .replaceWithVoid());
            }
            return Uni.createFrom().voidItem();
        }

        /** Whether the consuming connection is open, opening it first on the broker thread (never on an event loop). */
        private Uni<Boolean> brokerReachable() {
            Connection current = connection;
            if (current != null && current.isOpen()) {
                return Uni.createFrom().item(true);
            }
            return Uni.createFrom()
                    .completionStage(() -> CompletableFuture.supplyAsync(this::connection, broker))
                    .map(Connection::isOpen)
                    .ifNoItem()
                    .after(Duration.ofSeconds(5))
                    .recoverWithItem(false)
                    .onFailure()
                    .recoverWithItem(failure -> {
                        LOG.debugf("RabbitMQ is not reachable for %s: %s", route.queue(), failure);
                        return false;
                    });
        }

        private Connection connection() {
            try {
                if (connection == null) {
                    // declared on a connection of its own: the consuming one recovers only its consumers, not the
                    // queues (durable, and declared again here should the broker have lost them)
                    try (Connection declaring = connections.open("declare " + route.queue(), false);
                            Channel channel = declaring.createChannel()) {
                        Topology.declare(channel, route.exchange());
                    }
                    connection = connections.open("shards " + route.queue(), true);
                }
                return connection;
            } catch (IOException | java.util.concurrent.TimeoutException e) {
                throw new java.io.UncheckedIOException(new IOException(e));
            }
        }

        /** Subscribes to a shard whose lease this replica holds; should that fail, the lease goes back. */
        private void open(int index) {
            broker.execute(() -> {
                if (stopped || shards.containsKey(index)) {
                    return;
                }
                try {
                    Channel channel = connection().createChannel();
                    channel.basicQos(config.shardPrefetch());
                    Shard shard = new Shard(index, channel);
                    shards.put(index, shard);
                    shard.tag = channel.basicConsume(route.shardQueue(index), false, new DefaultConsumer(channel) {
                        @Override
                        public void handleDelivery(
                                String tag,
                                com.rabbitmq.client.Envelope envelope,
                                AMQP.BasicProperties properties,
                                byte[] body) {
                            if (emitter.isCancelled()) {
                                return; // nobody to process it: the broker takes it back when the channel closes
                            }
                            shard.unsettled.incrementAndGet();
                            emitter.emit(message(shard, envelope.getDeliveryTag(), properties, body));
                        }
                    });
                } catch (RuntimeException | IOException e) {
                    LOG.warnf("Could not consume shard %d of %s: %s", index, route.queue(), e.toString());
                    Shard failed = shards.remove(index);
                    if (failed != null) {
                        closeQuietly(failed.channel);
                    }
                    leases.release(index).subscribe().with(ok -> {}, f -> {});
                }
            });
        }

        private Message<String> message(Shard shard, long tag, AMQP.BasicProperties properties, byte[] body) {
            Object trace = properties.getHeaders() == null
                    ? null
                    : properties.getHeaders().get(MessageTraces.HEADER);
            Metadata metadata =
                    trace == null ? Metadata.empty() : Metadata.of(new DeliveredHeaders(String.valueOf(trace)));
            return Message.of(
                    new String(body, StandardCharsets.UTF_8),
                    metadata,
                    () -> settle(shard, channel -> channel.basicAck(tag, false)),
                    failure -> settle(shard, channel -> channel.basicReject(tag, false))); // to the dead letters
        }

        /**
         * Acknowledges (or rejects) on the broker thread. On a channel closed since, nothing is sent: the broker gave
         * the message back, it comes again and the inbox knows it.
         */
        private CompletionStage<Void> settle(Shard shard, ChannelAction action) {
            CompletableFuture<Void> settled = new CompletableFuture<>();
            // what follows the ack runs where the caller was (a lane's Vert.x context), not on the broker's thread
            io.vertx.core.Context caller = Vertx.currentContext();
            broker.execute(() -> {
                try {
                    if (shard.channel.isOpen()) {
                        action.run(shard.channel);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.debugf("Settling a message of shard %d of %s failed: %s", shard.index, route.queue(), e);
                } finally {
                    shard.unsettled.decrementAndGet();
                    if (caller == null) {
                        settled.complete(null);
                    } else {
                        caller.runOnContext(ignored -> settled.complete(null));
                    }
                }
            });
            return settled;
        }

        /** A lease lost (not renewed in time): stop at once; the broker takes back what was not acknowledged. */
        private void abort(Shard shard) {
            if (shards.remove(shard.index, shard)) {
                LOG.warnf("Replica %s lost its lease on shard %d of %s", replica, shard.index, route.queue());
                broker.execute(() -> closeQuietly(shard.channel));
            }
        }

        /** Gives a shard back in order: no more deliveries, what was handed out settled, channel closed, lease freed. */
        private void giveBack(int index) {
            Shard shard = shards.get(index);
            if (shard == null || shard.draining) {
                return;
            }
            shard.draining = true;
            broker.execute(() -> {
                cancelQuietly(shard);
                long deadline = System.nanoTime() + config.shardDrainTimeout().toNanos();
                awaitSettled(
                        shard,
                        deadline,
                        () -> broker.execute(() -> {
                            closeQuietly(shard.channel);
                            leases.release(index)
                                    .subscribe()
                                    .with(
                                            ok -> {
                                                shards.remove(index, shard);
                                                LOG.infof(
                                                        "Replica %s gave back shard %d of %s",
                                                        replica, index, route.queue());
                                            },
                                            failure -> shards.remove(index, shard)); // the lease expires instead
                        }));
            });
        }

        private void awaitSettled(Shard shard, long deadline, Runnable then) {
            if (shard.unsettled.get() <= 0 || System.nanoTime() > deadline) {
                then.run();
                return;
            }
            vertx.setTimer(20, id -> awaitSettled(shard, deadline, then));
        }

        /**
         * Stops: no more deliveries; what was handed out is settled (a few seconds at most: when the stream was
         * cancelled, nothing will process it and the broker takes it back in order), the channels closed, and only
         * then the leases given back, so that the others take over at once and in order.
         */
        void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            try {
                broker.submit(() -> shards.values().forEach(this::cancelQuietly))
                        .get(2, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (!emitter.isCancelled()
                        && shards.values().stream().anyMatch(s -> s.unsettled.get() > 0)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                broker.submit(() -> {
                            shards.values().forEach(shard -> closeQuietly(shard.channel));
                            shards.clear();
                            Connection open = connection;
                            if (open != null) {
                                try {
                                    open.close(2000);
                                } catch (IOException | RuntimeException e) {
                                    LOG.debugf("Closing the connection of %s: %s", route.queue(), e);
                                }
                            }
                        })
                        .get(5, TimeUnit.SECONDS);
                vertx.cancelTimer(timer);
                long renewing = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (ticking.get() && System.nanoTime() < renewing) {
                    Thread.sleep(10); // a renewal under way would bring the membership back
                }
                leases.leave().await().atMost(Duration.ofSeconds(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debugf("Stopping the shards of %s: %s", route.queue(), e);
            } finally {
                broker.shutdown();
            }
        }

        /** No more deliveries of the shard to this replica (what it was handed stays its own to settle). */
        private void cancelQuietly(Shard shard) {
            try {
                if (shard.tag != null && shard.channel.isOpen()) {
                    shard.channel.basicCancel(shard.tag);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debugf("Cancelling shard %d of %s: %s", shard.index, route.queue(), e);
            }
        }

        private void closeQuietly(Channel channel) {
            try {
                if (channel.isOpen()) {
                    channel.abort();
                }
            } catch (RuntimeException | IOException e) {
                LOG.debugf("Closing a channel of %s: %s", route.queue(), e);
            }
        }
    }
}
