package com.sansam.runtime.db;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bounds the service's request pool (the datasource Hibernate Reactive and the SQL client use; its size is
 * {@code quarkus.datasource.reactive.max-size}): at most {@code sansam.db.max-waiting} requests wait for a connection
 * (Vert.x's default is no bound), each at most {@code sansam.db.wait-timeout}. Past either, the request fails at once
 * and is answered 503 with Retry-After ({@code problem/Overload}): under a rush a bounded, short wait in turn, then
 * a clear "try again", instead of a queue that grows until every answer is late. Its connections are set up as every
 * pool's ({@link ConnectionSettings}).
 */
@Singleton
public class RequestPoolBounds implements PgPoolCreator {

    private final int maxWaiting;
    private final Duration waitTimeout;
    private final String planCacheMode;

    public RequestPoolBounds(
            @ConfigProperty(name = "sansam.db.max-waiting", defaultValue = "4096") int maxWaiting,
            @ConfigProperty(name = "sansam.db.wait-timeout", defaultValue = "PT5S") Duration waitTimeout,
            @ConfigProperty(name = "sansam.db.plan-cache-mode", defaultValue = ConnectionSettings.GENERIC_PLANS)
                    String planCacheMode) {
        this.maxWaiting = maxWaiting;
        this.waitTimeout = waitTimeout;
        this.planCacheMode = planCacheMode;
    }

    @Override
    public Pool create(Input input) {
        PoolOptions options = new PoolOptions(input.poolOptions())
                .setMaxWaitQueueSize(maxWaiting)
                .setConnectionTimeout((int) waitTimeout.toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        input.pgConnectOptionsList().forEach(connect -> ConnectionSettings.apply(connect, planCacheMode));
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), options);
    }
}
