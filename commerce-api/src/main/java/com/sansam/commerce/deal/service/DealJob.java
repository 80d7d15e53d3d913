package com.sansam.commerce.deal.service;

import com.sansam.commerce.deal.config.DealConfig;
import com.sansam.commerce.deal.model.Deal;
import com.sansam.commerce.deal.model.DealStatus;
import com.sansam.commerce.notification.service.NotificationTriggers;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The clock's side of deals, every tick on every replica: ends deals whose time passed, tells wishers of a product
 * that its deal starts soon, and tells reminder subscribers that it started. Each step marks the deal in the
 * transaction that records the notices, under the deal's row lock, so each happens once whatever the replicas.
 */
@ApplicationScoped
public class DealJob {

    private static final Logger LOG = Logger.getLogger(DealJob.class);

    private final DealService deals;
    private final DealClock clock;
    private final DealConfig config;
    private final NotificationTriggers notices;

    public DealJob(DealService deals, DealClock clock, DealConfig config, NotificationTriggers notices) {
        this.deals = deals;
        this.clock = clock;
        this.config = config;
        this.notices = notices;
    }

    @Scheduled(
            every = "${sansam.deals.tick:1s}",
            delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return tick().onFailure()
                .invoke(e -> LOG.warnf("Deal tick failed (retried next tick): %s", e.toString()))
                .onFailure()
                .recoverWithNull();
    }

    /** Shortly after start-up and then now and again: ended deals whose close the stock-worker never answered. */
    @Scheduled(
            every = "${sansam.deals.close-recovery-interval:1h}",
            delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> recoverCloses() {
        return deals.closeUnanswered(config.closeAnswerWait())
                .invoke(asked -> {
                    if (!asked.isEmpty()) {
                        LOG.warnf("Asked the stock-worker again to close ended deals it never answered: %s", asked);
                    }
                })
                .onFailure()
                .invoke(e -> LOG.warnf("Deal close recovery failed (tried again later): %s", e.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** One pass: end, remind, announce. */
    public Uni<Void> tick() {
        return deals.endDue().chain(this::remindWishers).chain(this::announceStarts);
    }

    /** Wishers of the product hear, once, that its deal starts within the reminder lead. */
    private Uni<Void> remindWishers() {
        Instant now = clock.now();
        return onceEach(
                "status = ?1 and remindedAt is null and startsAt <= ?2", now.plus(config.reminderLead()), deal -> {
                    deal.remindedAt = now;
                    // Opened too late for a reminder (it started already): the start notice covers it.
                    return now.isBefore(deal.startsAt)
                            ? notices.dealStartingSoon(deal.id, deal.productId, deal.title, deal.startsAt)
                            : Uni.createFrom().voidItem();
                });
    }

    /** Reminder subscribers hear, once, that the deal started. */
    private Uni<Void> announceStarts() {
        Instant now = clock.now();
        return onceEach("status = ?1 and startNotifiedAt is null and startsAt <= ?2", now, deal -> {
            deal.startNotifiedAt = now;
            return now.isBefore(deal.endsAt)
                    ? notices.dealStarted(deal.id, deal.title)
                    : Uni.createFrom().voidItem();
        });
    }

    /**
     * Runs {@code step} (which marks the deal done and records its notices) for each open deal matching
     * {@code query} (?1 the status OPEN, ?2 {@code at}), locked, in one transaction; then signals the live streams.
     */
    private Uni<Void> onceEach(String query, Instant at, java.util.function.Function<Deal, Uni<Void>> step) {
        return Panache.withTransaction(() -> Deal.<Deal>find(query, DealStatus.OPEN, at)
                        .withLock(LockModeType.PESSIMISTIC_WRITE)
                        .page(0, 20)
                        .list()
                        .call(due -> Multi.createFrom()
                                .iterable(due)
                                .onItem()
                                .transformToUniAndConcatenate(deal -> step.apply(deal))
                                .collect()
                                .last()))
                .replaceWithVoid();
    }
}
