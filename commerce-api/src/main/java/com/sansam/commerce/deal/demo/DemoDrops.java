package com.sansam.commerce.deal.demo;

import com.sansam.commerce.catalog.config.CatalogConfig;
import com.sansam.commerce.deal.model.DealDtos.CreateDeal;
import com.sansam.commerce.deal.model.DealDtos.LineRequest;
import com.sansam.commerce.deal.model.DealMode;
import com.sansam.commerce.deal.service.DealClock;
import com.sansam.commerce.deal.service.DealService;
import com.sansam.runtime.outbox.SafeContexts;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The demo's drops (DEMO_CATALOGUE, the local run, on a shop without a deal to come): a waiting-room deal on a shoulder bag
 * that starts two minutes after start-up, so the home page counts down to it, and a draw for sneakers whose entries
 * are open at once. Made through the same service as an admin's, once the stock-worker holds the demo's stock.
 */
@ApplicationScoped
public class DemoDrops {

    private static final Logger LOG = Logger.getLogger(DemoDrops.class);

    /** The product of a category whose SKU the stock-worker holds most units of (at least two). */
    private static final String STOCKED = """
            select p.id, p.price, a.sku, a.available from product p join product_option o on o.product_id = p.id
            join sku_availability a on a.sku = o.sku
            where p.category_id = $1 and p.status = 'ACTIVE' and a.available >= 2
            order by a.available desc, p.id limit 1""";

    private final Pool pool;
    private final DealService deals;
    private final DealClock clock;
    private final Vertx vertx;

    public DemoDrops(Pool pool, DealService deals, DealClock clock, Vertx vertx) {
        this.pool = pool;
        this.deals = deals;
        this.clock = clock;
        this.vertx = vertx;
    }

    void onStart(
            @Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 800) StartupEvent event,
            CatalogConfig catalog) {
        if (catalog.demo()) {
            Infrastructure.getDefaultWorkerPool().execute(() -> {
                try {
                    schedule();
                } catch (RuntimeException e) {
                    LOG.warnf("The demo's drops could not be scheduled: %s", e.toString());
                }
            });
        }
    }

    /** Blocks: call on a worker thread. */
    void schedule() {
        // a later run of the demo on the same database gets new drops once the last ones have ended
        if (await(() -> pool.query("select count(*) from deal where ended_at is null and ends_at > now()")
                                .execute())
                        .iterator()
                        .next()
                        .getLong(0)
                > 0) {
            return;
        }
        Row bag = stocked(3);
        Row sneakers = stocked(9);
        Instant now = clock.now().truncatedTo(ChronoUnit.MINUTES);
        Instant start = now.plus(Duration.ofMinutes(3));
        await(() -> deals.create(new CreateDeal(
                bag.getLong("id"),
                List.of(new LineRequest(bag.getString("sku"), bag.getLong("price") * 7 / 10, 2)),
                1,
                start,
                start.plus(Duration.ofHours(2)),
                "오늘의 드롭 — 30% 한정 수량",
                DealMode.QUEUE,
                5,
                Duration.ofMinutes(2),
                Duration.ofMinutes(30),
                null,
                null,
                null)));
        await(() -> deals.create(new CreateDeal(
                sneakers.getLong("id"),
                List.of(new LineRequest(sneakers.getString("sku"), sneakers.getLong("price") * 8 / 10, 1)),
                1,
                now,
                now.plus(Duration.ofHours(3)),
                "스니커즈 드로우 — 응모 후 추첨",
                DealMode.DRAW,
                null,
                null,
                null,
                now,
                now.plus(Duration.ofMinutes(30)),
                Duration.ofMinutes(30))));
        LOG.infof(
                "Demo drops scheduled: a waiting room opening at %s and a draw closing at %s",
                start, now.plus(Duration.ofMinutes(30)));
    }

    /** Waits (up to a minute) until the stock-worker holds the demo's stock of the category. */
    private Row stocked(long categoryId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            RowSet<Row> rows = await(() -> pool.preparedQuery(STOCKED).execute(Tuple.of(categoryId)));
            if (rows.size() > 0) {
                return rows.iterator().next();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no demo stock of category " + categoryId + " after a minute");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private <T> T await(Supplier<Uni<T>> work) {
        return SafeContexts.await(vertx.getDelegate(), work, Duration.ofSeconds(60));
    }
}
