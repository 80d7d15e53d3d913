package com.sansam.commerce.operations;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.commerce.support.Api;
import com.sansam.commerce.support.AtOnce;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Past a pool's bound the answer is 503 with Retry-After, never 500 (nor a 401 that would log a buyer out): a
 * PostgreSQL pool of one connection with six waiting places, and a Redis pool with one connection left for work
 * and six waiting places, each driven by forty requests at once.
 */
@QuarkusTest
@TestProfile(OverloadTest.TinyPools.class)
class OverloadTest {

    public static class TinyPools implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a few waiting places, or start-up itself (its jobs, the admin account) would be refused; Redis: each of
            // the two pub/sub subscriptions (order statuses, ended sessions) holds one connection, one is left for work
            return Map.of(
                    "quarkus.datasource.reactive.max-size",
                    "1",
                    "sansam.db.max-waiting",
                    "6",
                    "sansam.db.wait-timeout",
                    "PT1S",
                    "quarkus.redis.max-pool-size",
                    "3",
                    "quarkus.redis.max-pool-waiting",
                    "6",
                    "sansam.catalog.cache-enabled",
                    "false");
        }
    }

    private static final int AT_ONCE = 40;

    @Test
    void aFullDatabasePoolAnswers503WithRetryAfter() throws Exception {
        assertOverloadedNot500(
                AtOnce.fire(AT_ONCE, i -> given().queryParam("q", "bag").get("/api/v1/products")));
    }

    @Test
    void aFullRedisPoolAnswers503WithRetryAfterNot401() throws Exception {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
            sessions.add(patiently(() -> {
                String email = Api.uniqueEmail();
                Api.signup(email);
                return Api.login(email, Api.PASSWORD);
            }));
        }
        // each request reads its own session from Redis (none is in this replica's memory yet)
        assertOverloadedNot500(AtOnce.fire(AT_ONCE, i -> Api.as(sessions.get(i)).get("/api/v1/users/me")));
    }

    private static void assertOverloadedNot500(List<Response> answers) {
        int overloaded = 0;
        for (Response answer : answers) {
            assertTrue(
                    answer.statusCode() == 200 || answer.statusCode() == 503,
                    answer.statusCode() + " " + answer.asString());
            if (answer.statusCode() == 503) {
                overloaded++;
                assertEquals("1", answer.header("Retry-After"));
                assertTrue(answer.contentType().startsWith("application/problem+json"));
                assertEquals(503, answer.jsonPath().getInt("status"));
            }
        }
        assertTrue(
                overloaded > 0, "forty requests at once past a pool of one: some must wait their turn and be refused");
    }

    /** Setup as a client does it: a 503 is tried again. */
    private static <T> T patiently(Supplier<T> step) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.get();
            } catch (AssertionError overloaded) {
                if (attempt == 10) {
                    throw overloaded;
                }
                Thread.sleep(200);
            }
        }
    }
}
