package com.sansam.commerce.deal.service;

import com.sansam.commerce.deal.config.DealConfig;
import com.sansam.commerce.deal.model.DealDtos.Remaining;
import com.sansam.runtime.problem.Refusal;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The live remaining count of deals (SSE). Each replica reads a watched deal's count once per interval however many
 * shoppers watch it, and at once after it placed an order of the deal; a shopper is sent the count when it changes.
 * Changes made on another replica (or by a cancel, an expiry) arrive with the next read.
 */
@ApplicationScoped
public class DealStream {

    private static final Logger LOG = Logger.getLogger(DealStream.class);

    /** The shoppers watching one deal, the count they were last sent, and whether a read is under way. */
    private static final class Feed {
        final Set<MultiEmitter<? super Remaining>> watchers = ConcurrentHashMap.newKeySet();
        volatile Remaining last;
        boolean reading;
        boolean again;
    }

    private final Vertx vertx;
    private final DealReads reads;
    private final DealConfig config;
    private final DealPurchases purchases;
    private final ConcurrentHashMap<Long, Feed> feeds = new ConcurrentHashMap<>();
    private long timer = -1;

    public DealStream(Vertx vertx, DealReads reads, DealConfig config, DealPurchases purchases) {
        this.purchases = purchases;
        this.vertx = vertx;
        this.reads = reads;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(
                config.streamInterval().toMillis(), id -> feeds.keySet().forEach(this::read));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        feeds.values().forEach(feed -> feed.watchers.forEach(MultiEmitter::complete));
    }

    /**
     * A shopper's stream: the count now, then each change, with a keep-alive every 25 s. Fails with 404 for no such
     * deal before the stream starts, so the answer is a problem, not a stream that breaks.
     */
    public Uni<Multi<Remaining>> open(long dealId) {
        return reads.remaining(dealId).map(now -> {
            if (now == null) {
                throw Refusal.notFound("No deal " + dealId);
            }
            Multi<Remaining> counts = Multi.createFrom().emitter(emitter -> {
                Feed feed = feeds.computeIfAbsent(dealId, id -> new Feed());
                if (feed.last == null) {
                    feed.last = now;
                }
                feed.watchers.add(emitter);
                emitter.onTermination(() -> feeds.computeIfPresent(dealId, (id, current) -> {
                    current.watchers.remove(emitter);
                    return current.watchers.isEmpty() ? null : current;
                }));
                emitter.emit(now);
            });
            Multi<Remaining> keepAlive = Multi.createFrom()
                    .ticks()
                    .every(Duration.ofSeconds(25))
                    .select()
                    .where(tick -> last(dealId) != null)
                    .map(tick -> last(dealId));
            return Multi.createBy().merging().streams(counts, keepAlive);
        });
    }

    private Remaining last(long dealId) {
        Feed feed = feeds.get(dealId);
        return feed == null ? null : feed.last;
    }

    /** An order of the deal was placed here: its watchers hear the new count now rather than at the next read. */
    public void changed(Long dealId) {
        if (dealId != null && feeds.containsKey(dealId)) {
            read(dealId);
        }
    }

    private void read(long dealId) {
        Feed feed = feeds.get(dealId);
        if (feed == null) {
            return;
        }
        synchronized (feed) {
            if (feed.reading) {
                feed.again = true; // coalesce: one more read after this one, however many changes came meanwhile
                return;
            }
            feed.reading = true;
        }
        reads.remaining(dealId)
                .subscribe()
                .with(
                        now -> {
                            if (now != null && "live".equals(now.state())) {
                                now.lines().forEach(line -> purchases.learnt(dealId, line.sku(), line.remaining()));
                            }
                            if (now != null && !now.equals(feed.last)) {
                                feed.last = now;
                                feed.watchers.forEach(watcher -> watcher.emit(now));
                            }
                            done(dealId, feed);
                        },
                        failure -> {
                            LOG.debugf("Reading deal %d for its stream failed: %s", dealId, failure.toString());
                            done(dealId, feed);
                        });
    }

    private void done(long dealId, Feed feed) {
        boolean again;
        synchronized (feed) {
            feed.reading = false;
            again = feed.again;
            feed.again = false;
        }
        if (again) {
            read(dealId);
        }
    }
}
