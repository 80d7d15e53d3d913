package com.sansam.commerce.notification.service;

import com.sansam.commerce.notification.config.NotificationConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Asks buyers for a review {@code review-request-delay} after payment, when the order still stands and none of
 * its lines is reviewed yet; once per order (the notice's dedupe key), and never for orders older than the
 * notice retention (so a deleted notice is not asked again).
 */
@ApplicationScoped
public class ReviewRequestJob {

    private static final Logger LOG = Logger.getLogger(ReviewRequestJob.class);

    private final Pool pool;
    private final NotificationTriggers triggers;
    private final NotificationConfig config;

    public ReviewRequestJob(Pool pool, NotificationTriggers triggers, NotificationConfig config) {
        this.pool = pool;
        this.triggers = triggers;
        this.config = config;
    }

    private record Due(long userId, String orderId, String orderName) {}

    @Scheduled(
            every = "${sansam.notification.review-request-check:1m}",
            delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return pool.preparedQuery("""
                        select o.user_id, o.order_id, o.order_name from orders o
                        where o.status in ('PAID', 'PARTIALLY_CANCELLED') and o.paid_at <= $1 and o.paid_at > $2
                          and not exists (select 1 from order_line l join review r on r.order_line_id = l.id where l.order_pk = o.id)
                          and not exists (select 1 from notification n
                                          where n.user_id = o.user_id and n.dedupe_key = 'review-request:' || o.order_id)
                        order by o.id limit 100""")
                .execute(Tuple.of(now.minus(config.reviewRequestDelay()), now.minus(config.retention())))
                .map(rows -> {
                    List<Due> due = new ArrayList<>();
                    for (Row row : rows) {
                        due.add(new Due(row.getLong(0), row.getString(1), row.getString(2)));
                    }
                    return due;
                })
                .onItem()
                .transformToMulti(due -> Multi.createFrom().iterable(due))
                .onItem()
                .transformToUniAndConcatenate(due -> Panache.withTransaction(
                        () -> triggers.reviewRequest(due.userId(), due.orderId(), due.orderName())))
                .collect()
                .last()
                .replaceWithVoid()
                .onFailure()
                .invoke(e -> LOG.warnf("Review requests failed this round: %s", e.toString()))
                .onFailure()
                .recoverWithNull();
    }
}
