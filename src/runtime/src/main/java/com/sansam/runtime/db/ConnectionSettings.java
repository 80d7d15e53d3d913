package com.sansam.runtime.db;

import io.vertx.pgclient.PgConnectOptions;

/**
 * How every pool of a service (the request pool, {@link RequestPoolBounds}; the messaging pool, {@link MessagingPool})
 * talks to PostgreSQL:
 * <ul>
 *   <li>each connection keeps the statements it prepared, up to 256 and up to {@link #CACHED_SQL_LIMIT} characters
 *       each (the client's default, 2,048, left a deal's order check of 2,438 uncached: parsed and planned at every
 *       execution), so a prepared query is one round trip, and nothing queued behind it waits for its prepare;</li>
 *   <li>{@code plan_cache_mode} ({@code sansam.db.plan-cache-mode}, by default {@code force_generic_plan}): a prepared
 *       statement is planned once per connection. In {@code auto} mode PostgreSQL planned the big statements again at
 *       every execution, their generic plan's estimate being dearer than the custom plans though it runs as fast: a
 *       deal's order statement planned 1.9 ms for 0.9 ms of execution, inside the deal's lock
 *       ({@code src/bench/deal-queue.sh} with {@code BENCH_PGSS=1}).</li>
 * </ul>
 */
public final class ConnectionSettings {

    /** The default of {@code sansam.db.plan-cache-mode}. */
    public static final String GENERIC_PLANS = "force_generic_plan";

    /** The longest SQL text a connection keeps prepared (the longest statement today is about 4,200). */
    static final int CACHED_SQL_LIMIT = 16_384;

    private ConnectionSettings() {}

    /** {@code options}, changed as above; {@code planCacheMode} is PostgreSQL's {@code plan_cache_mode}. */
    public static PgConnectOptions apply(PgConnectOptions options, String planCacheMode) {
        return options.setCachePreparedStatements(true)
                .setPreparedStatementCacheSqlLimit(CACHED_SQL_LIMIT)
                .addProperty("plan_cache_mode", planCacheMode);
    }
}
