package com.sansam.stock;

import com.sansam.contracts.session.Role;
import com.sansam.contracts.session.SessionStore;
import com.sansam.contracts.testing.HostileInputContract;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;

@QuarkusTest
class HostileInputTest extends HostileInputContract {

    @Inject
    SessionStore sessions;

    @Override
    protected Map<String, String> sessions() {
        return Map.of(
                "buyer",
                sessions.create(2, Role.USER).await().atMost(Duration.ofSeconds(5)),
                "admin",
                sessions.create(1, Role.ADMIN).await().atMost(Duration.ofSeconds(5)));
    }
}
