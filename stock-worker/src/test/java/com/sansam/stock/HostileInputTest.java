package com.sansam.stock;

import com.sansam.runtime.session.SessionStore;
import com.sansam.runtime.testing.HostileInputContract;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;

@QuarkusTest
class HostileInputTest extends HostileInputContract {

    @Inject
    SessionStore sessions;

    @Override
    protected Map<String, String> sessions() {
        return storedSessions(sessions);
    }
}
