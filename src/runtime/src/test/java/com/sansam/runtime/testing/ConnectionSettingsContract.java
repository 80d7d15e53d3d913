package com.sansam.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sansam.runtime.db.MessagingPool;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Both pools of a service (the request pool and the messaging pool) plan each prepared statement once (PostgreSQL's
 * generic plan), as runtime's {@code ConnectionSettings} sets them up: in auto mode the big statements were planned
 * again at every execution. Each service's test extends this.
 */
public abstract class ConnectionSettingsContract {

    @Inject
    Pool pool;

    @Inject
    MessagingPool messaging;

    @Test
    void everyPooledConnectionUsesGenericPlans() {
        for (Pool each : new Pool[] {pool, messaging.get()}) {
            for (int i = 0; i < 3; i++) {
                assertEquals("force_generic_plan", setting(each, "plan_cache_mode"));
            }
        }
    }

    private static String setting(Pool pool, String name) {
        return pool.query("show " + name)
                .execute()
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getString(0);
    }
}
