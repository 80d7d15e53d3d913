package com.sansam.commerce.account;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.sansam.commerce.support.Api.ADMIN_EMAIL;
import static com.sansam.commerce.support.Api.PASSWORD;
import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.login;
import static com.sansam.commerce.support.Api.problem;
import static com.sansam.commerce.support.Api.signup;
import static com.sansam.commerce.support.Api.uniqueEmail;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class SessionResourceTest {

    @Test
    void loginSetsAnHttpOnlyLaxSessionCookie() {
        String email = uniqueEmail();
        signup(email);
        given().contentType(ContentType.JSON).body(Map.of("email", email.toUpperCase(), "password", PASSWORD))
                .when().post("/api/v1/sessions")
                .then().statusCode(204)
                .header("Set-Cookie", containsString("SESSION="))
                .header("Set-Cookie", containsString("HttpOnly"))
                .header("Set-Cookie", containsString("SameSite=Lax"))
                .header("Set-Cookie", containsString("Path=/"));
    }

    @Test
    void wrongCredentialsAnswer401() {
        String email = uniqueEmail();
        signup(email);
        problem(given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "wrong-password-1"))
                .post("/api/v1/sessions"), 401);
        problem(given().contentType(ContentType.JSON).body(Map.of("email", uniqueEmail(), "password", PASSWORD))
                .post("/api/v1/sessions"), 401);
        problem(given().contentType(ContentType.JSON).body(Map.of("email", email))
                .post("/api/v1/sessions"), 400).then().body("field", equalTo("password"));
    }

    @Test
    void logoutEndsTheSessionServerSideAtOnce() {
        String email = uniqueEmail();
        signup(email);
        String session = login(email, PASSWORD);
        String otherTab = login(email, PASSWORD);
        as(session).get("/api/v1/users/me").then().statusCode(200);

        as(session).delete("/api/v1/sessions/current").then().statusCode(204)
                .header("Set-Cookie", containsString("Max-Age=0"));

        problem(as(session).get("/api/v1/users/me"), 401);
        problem(as(session).delete("/api/v1/sessions/current"), 401);
        as(otherTab).get("/api/v1/users/me").then().statusCode(200);
    }

    @Test
    void repeatedFailuresForOneAccountAreThrottled() {
        String email = uniqueEmail();
        signup(email);
        for (int i = 0; i < 5; i++) {
            problem(given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "wrong-password-" + i))
                    .post("/api/v1/sessions"), 401);
        }
        // Even the right password waits now.
        problem(given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .post("/api/v1/sessions"), 429)
                .then().header("Retry-After", notNullValue());
    }

    @jakarta.inject.Inject
    io.quarkus.redis.datasource.RedisDataSource redis;

    @Test
    void aSessionEndsAfterItsAbsoluteLifetimeHoweverActive() {
        String email = uniqueEmail();
        signup(email);
        String session = login(email, PASSWORD);
        as(session).get("/api/v1/users/me").then().statusCode(200);
        // logged in longer ago than the absolute lifetime (a day), active all along
        redis.hash(String.class).hset(com.sansam.contracts.session.SessionStore.SESSION_PREFIX + session, "createdAt",
                java.time.Instant.now().minus(java.time.Duration.ofHours(25)).toString());
        problem(as(session).get("/api/v1/users/me"), 401);
        org.junit.jupiter.api.Assertions.assertEquals(0,
                redis.key().exists(com.sansam.contracts.session.SessionStore.SESSION_PREFIX + session) ? 1 : 0);
    }

    @Test
    void parallelGuessesCannotPassTheLimit() throws Exception {
        String email = uniqueEmail();
        signup(email);
        String address = "198.51.100." + (1 + new java.util.Random().nextInt(250));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String guess = "wrong-password-" + i;
                answers.add(pool.submit(() -> given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                        .body(Map.of("email", email, "password", guess)).post("/api/v1/sessions").statusCode()));
            }
            int checked = 0;
            int throttled = 0;
            for (java.util.concurrent.Future<Integer> answer : answers) {
                int status = answer.get();
                checked += status == 401 ? 1 : 0;
                throttled += status == 429 ? 1 : 0;
            }
            org.junit.jupiter.api.Assertions.assertEquals(5, checked, "passwords checked (the account's limit)");
            org.junit.jupiter.api.Assertions.assertEquals(15, throttled, "answered 429 without a check");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void repeatedFailuresFromOneAddressAreThrottled() {
        String address = "203.0.113." + (1 + new java.util.Random().nextInt(250));
        for (int i = 0; i < 20; i++) {
            String email = uniqueEmail();
            problem(given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                    .body(Map.of("email", email, "password", "wrong-password-1")).post("/api/v1/sessions"), 401);
        }
        String email = uniqueEmail();
        signup(email);
        problem(given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD)).post("/api/v1/sessions"), 429)
                .then().header("Retry-After", notNullValue());
        // Another address is not affected.
        login(email, PASSWORD);
    }

    @io.quarkus.test.common.http.TestHTTPResource
    java.net.URL base;

    @Test
    void forwardedAddressesCountOnlyFromTrustedProxies() throws Exception {
        // 127.0.0.2 is not a trusted proxy (only 127.0.0.1 is, in tests): its X-Forwarded-For is ignored, so twenty
        // guesses that each claim another client address all count against 127.0.0.2 itself
        for (int i = 0; i < 20; i++) {
            assertEquals(401, loginFrom("127.0.0.2", "192.0.2." + (i + 1), uniqueEmail()));
        }
        assertEquals(429, loginFrom("127.0.0.2", "192.0.2.99", uniqueEmail()));
    }

    /** A login request sent from a given local address (a raw HTTP/1.1 exchange: clients cannot pick their source). */
    private int loginFrom(String sourceAddress, String forwardedFor, String email) throws Exception {
        String body = "{\"email\":\"" + email + "\",\"password\":\"wrong-password-1\"}";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", base.getPort(),
                java.net.InetAddress.getByName(sourceAddress), 0)) {
            socket.getOutputStream().write(("POST /api/v1/sessions HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                    + "X-Forwarded-For: " + forwardedFor + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    + "\r\nConnection: close\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    @Test
    void theConfiguredAdminCanLogInWithTheAdminRole() {
        as(adminSession()).get("/api/v1/users/me").then().statusCode(200)
                .body("email", equalTo(ADMIN_EMAIL)).body("role", equalTo("ADMIN"));
    }
}
