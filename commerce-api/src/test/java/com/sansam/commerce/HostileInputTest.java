package com.sansam.commerce;

import com.sansam.commerce.support.Api;
import com.sansam.runtime.testing.HostileInputContract;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;

@QuarkusTest
class HostileInputTest extends HostileInputContract {

    @Inject
    RedisDataSource redis;

    @Override
    protected Map<String, String> sessions() {
        return Map.of("buyer", Api.newUserSession(), "admin", Api.adminSession());
    }

    @Override
    protected Pattern sessionEnding() {
        return Pattern.compile("^/api/v1/sessions/current$");
    }

    /**
     * The hostile logins failed from the tests' one address, as they should: the throttle's count of them goes, so
     * that the tests after this one log in as usual.
     */
    @AfterEach
    void forgetFailedLogins() {
        var keys = redis.key().keys("sansam:login:*");
        if (!keys.isEmpty()) {
            redis.key().del(keys.toArray(String[]::new));
        }
    }
}
