package com.sansam.stock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The pool's connections plan each prepared statement once (PostgreSQL's generic plan), as configured: in auto mode the
 * big statements were planned again at every execution, at twice their execution's cost.
 */
@QuarkusTest
class PlanCacheModeTest {

    @Inject
    Pool pool;

    @Test
    void everyPooledConnectionUsesGenericPlans() {
        for (int i = 0; i < 3; i++) {
            String mode = pool.query("show plan_cache_mode")
                    .execute()
                    .await()
                    .atMost(Duration.ofSeconds(10))
                    .iterator()
                    .next()
                    .getString(0);
            assertEquals("force_generic_plan", mode);
        }
    }
}
