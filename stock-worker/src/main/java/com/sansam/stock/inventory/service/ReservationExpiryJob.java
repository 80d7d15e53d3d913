package com.sansam.stock.inventory.service;

import com.sansam.runtime.outbox.OutboxRelay;
import com.sansam.stock.inventory.config.StockConfig;
import com.sansam.stock.inventory.model.Reservation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Releases held reservations whose time ran out and answers ReservationExpired. Safe in every replica. */
@ApplicationScoped
public class ReservationExpiryJob {

    private static final Logger LOG = Logger.getLogger(ReservationExpiryJob.class);

    private final StockService stock;
    private final StockConfig config;
    private final OutboxRelay relay;

    public ReservationExpiryJob(StockService stock, StockConfig config, OutboxRelay relay) {
        this.stock = stock;
        this.config = config;
        this.relay = relay;
    }

    @Scheduled(every = "${sansam.stock.expiry-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return expireBatch()
                .invoke(count -> {
                    if (count > 0) {
                        LOG.infof("Expired %d reservations", count);
                        relay.nudge();
                    }
                })
                .onFailure()
                .invoke(e -> LOG.warn("Reservation expiry round failed", e))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    public Uni<Integer> expireBatch() {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                        select * from reservation where status = 'HELD' and expires_at < now()
                        order by expires_at limit :batch for update skip locked""", Reservation.class)
                        .setParameter("batch", config.expiryBatchSize())
                        .getResultList()
                        .call(expired -> Multi.createFrom()
                                .iterable(expired)
                                .onItem()
                                .transformToUniAndConcatenate(stock::expire)
                                .collect()
                                .asList())
                        .map(java.util.List::size)));
    }
}
