package com.sansam.runtime.db;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A small connection pool of its own for the messaging machinery (the outbox relay, group-committed inbox batches,
 * retention), on the service's own database.
 * <p>
 * Why not the service's pool: under a rush every connection of it is taken by requests, hundreds more wait in its
 * queue, and the relay and the consumers would wait behind them. Then a placed order's ReserveStock is published
 * only after the whole wave of requests, and nobody learns an outcome until the rush is over. With this pool
 * the pipeline keeps moving while the requests queue. Sized by {@code sansam.messaging.pool-size} (the consumer
 * lanes plus the relay and retention need one connection each at most). Its connections are set up as every pool's
 * ({@link ConnectionSettings}).
 */
@ApplicationScoped
public class MessagingPool {

    private final Pool pool;
    private final PgConnectOptions options;

    public MessagingPool(
            Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
            @ConfigProperty(name = "sansam.messaging.pool-size", defaultValue = "12") int size,
            @ConfigProperty(name = "sansam.db.plan-cache-mode", defaultValue = ConnectionSettings.GENERIC_PLANS)
                    String planCacheMode) {
        PgConnectOptions options = ConnectionSettings.apply(
                PgConnectOptions.fromUri(url.startsWith("vertx-reactive:") ? url.substring(15) : url), planCacheMode);
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        this.options = options;
        this.pool =
                PgPool.pool(vertx, options, new PoolOptions().setMaxSize(size).setName("sansam-messaging"));
    }

    /** How to reach the service's database (for a connection of one's own, e.g. a LISTEN subscriber). */
    public PgConnectOptions connectOptions() {
        return new PgConnectOptions(options);
    }

    public Pool get() {
        return pool;
    }

    void close(@Observes ShutdownEvent event) {
        pool.closeAndAwait();
    }
}
