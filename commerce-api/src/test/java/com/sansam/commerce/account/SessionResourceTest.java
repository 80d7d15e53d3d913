package com.sansam.commerce.account;

import static com.sansam.commerce.support.Api.ADMIN_EMAIL;
import static com.sansam.commerce.support.Api.PASSWORD;
import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.login;
import static com.sansam.commerce.support.Api.problem;
import static com.sansam.commerce.support.Api.signup;
import static com.sansam.commerce.support.Api.uniqueEmail;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SessionResourceTest {

    @Test
    void loginSetsAnHttpOnlyLaxSessionCookie() {
        String email = uniqueEmail();
        signup(email);
        java.util.List<String> cookies = given().contentType(ContentType.JSON)
                .body(Map.of("email", email.toUpperCase(), "password", PASSWORD))
                .when()
                .post("/api/v1/sessions")
                .then()
                .statusCode(204)
                .extract()
                .headers()
                .getValues("Set-Cookie");
        String session = cookies.stream()
                .filter(c -> c.startsWith("SESSION="))
                .findFirst()
                .orElseThrow();
        org.hamcrest.MatcherAssert.assertThat(
                session,
                org.hamcrest.Matchers.allOf(
                        containsString("HttpOnly"), containsString("SameSite=Lax"), containsString("Path=/;")));
        // The device cookie: as protected, sent only to the login route, kept for months.
        String device = cookies.stream()
                .filter(c -> c.startsWith("SANSAM_DEVICE="))
                .findFirst()
                .orElseThrow();
        org.hamcrest.MatcherAssert.assertThat(
                device,
                org.hamcrest.Matchers.allOf(
                        containsString("HttpOnly"),
                        containsString("SameSite=Lax"),
                        containsString("Path=/api/v1/sessions"),
                        containsString("Max-Age=")));
    }

    @Test
    void wrongCredentialsAnswer401() {
        String email = uniqueEmail();
        signup(email);
        problem(
                given().contentType(ContentType.JSON)
                        .body(Map.of("email", email, "password", "wrong-password-1"))
                        .post("/api/v1/sessions"),
                401);
        problem(
                given().contentType(ContentType.JSON)
                        .body(Map.of("email", uniqueEmail(), "password", PASSWORD))
                        .post("/api/v1/sessions"),
                401);
        problem(
                        given().contentType(ContentType.JSON)
                                .body(Map.of("email", email))
                                .post("/api/v1/sessions"),
                        400)
                .then()
                .body("field", equalTo("password"));
    }

    /** The page's question on every load: who is this browser? A visitor, or an ended session, is no error. */
    @Test
    void theCurrentSessionNamesItsUserOrNobody() {
        String email = uniqueEmail();
        signup(email);
        String session = login(email, PASSWORD);
        given().get("/api/v1/sessions/current").then().statusCode(200).body("user", org.hamcrest.Matchers.nullValue());
        as(session).get("/api/v1/sessions/current").then().statusCode(200).body("user.email", equalTo(email));
        as(session).delete("/api/v1/sessions/current").then().statusCode(204);
        as(session)
                .get("/api/v1/sessions/current")
                .then()
                .statusCode(200)
                .body("user", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void logoutEndsTheSessionServerSideAtOnce() {
        String email = uniqueEmail();
        signup(email);
        String session = login(email, PASSWORD);
        String otherTab = login(email, PASSWORD);
        as(session).get("/api/v1/users/me").then().statusCode(200);

        as(session)
                .delete("/api/v1/sessions/current")
                .then()
                .statusCode(204)
                .header("Set-Cookie", containsString("Max-Age=0"));

        problem(as(session).get("/api/v1/users/me"), 401);
        problem(as(session).delete("/api/v1/sessions/current"), 401);
        as(otherTab).get("/api/v1/users/me").then().statusCode(200);
    }

    @Test
    void repeatedFailuresForOneAccountWaitOnlyAtThatAddress() {
        String email = uniqueEmail();
        signup(email);
        String address = randomAddress("198.51.100.");
        for (int i = 0; i < 5; i++) {
            problem(loginRequest(address, null, email, "wrong-password-" + i, null), 401);
        }
        // Even the right password waits at this address...
        problem(loginRequest(address, null, email, PASSWORD, null), 429).then().header("Retry-After", notNullValue());
        // ...but not from anywhere else: a stranger cannot lock the owner out.
        loginRequest(randomAddress("192.0.2."), null, email, PASSWORD, null)
                .then()
                .statusCode(204);
    }

    /** Thirty wrong guesses from one address: five are checked, the rest wait; the owner logs in from another address. */
    @Test
    void thirtyGuessesFromOneAddressDoNotLockTheOwnerOut() {
        String email = uniqueEmail();
        signup(email);
        String address = randomAddress("198.51.100.");
        int checked = 0;
        int waited = 0;
        for (int i = 0; i < 30; i++) {
            int status = loginRequest(address, null, email, "wrong-password-" + i, null)
                    .statusCode();
            checked += status == 401 ? 1 : 0;
            waited += status == 429 ? 1 : 0;
        }
        assertEquals(5, checked);
        assertEquals(25, waited);
        loginRequest(randomAddress("192.0.2."), null, email, PASSWORD, null)
                .then()
                .statusCode(204);
    }

    /**
     * A thousand wrong guesses from many addresses (a botnet): the owner still logs in from the device they used
     * before, from anywhere; a device they never used needs the code emailed to them, which works once.
     */
    @Test
    void aThousandGuessesFromManyAddressesNeedAnEmailedCodeOnANewDeviceOnly() throws Exception {
        String email = uniqueEmail();
        signup(email);
        String device = loginRequest(randomAddress("10.200."), null, email, PASSWORD, null)
                .then()
                .statusCode(204)
                .header("Set-Cookie", containsString(com.sansam.commerce.account.service.KnownDevices.COOKIE + "="))
                .extract()
                .cookie(com.sansam.commerce.account.service.KnownDevices.COOKIE);

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> guesses = new java.util.ArrayList<>();
            String net = "172.16." + new java.util.Random().nextInt(200) + ".";
            for (int i = 0; i < 1_000; i++) {
                String address = net + (i / 5); // 200 addresses, 5 guesses each
                String guess = "wrong-password-" + i;
                guesses.add(pool.submit(
                        () -> loginRequest(address, null, email, guess, null).statusCode()));
            }
            for (java.util.concurrent.Future<Integer> guess : guesses) {
                assertEquals(401, guess.get());
            }
        } finally {
            pool.shutdownNow();
        }
        // The known device logs in as usual, from a new address too.
        loginRequest(randomAddress("10.201."), device, email, PASSWORD, null)
                .then()
                .statusCode(204);
        // A new device: the right password is not enough; a code goes to the owner's email.
        problem(loginRequest(randomAddress("10.202."), null, email, PASSWORD, null), 401)
                .then()
                .body("type", equalTo("/problems/login-code-required"))
                .body("extra.codeSent", equalTo(true));
        String mail = com.sansam.commerce.support.TestSmtp.body(
                com.sansam.commerce.support.TestSmtp.await(email, "로그인 확인 코드"));
        java.util.regex.Matcher digits =
                java.util.regex.Pattern.compile(">([0-9]{6})<").matcher(mail);
        org.junit.jupiter.api.Assertions.assertTrue(digits.find(), mail);
        String code = digits.group(1);
        problem(
                        loginRequest(
                                randomAddress("10.202."),
                                null,
                                email,
                                PASSWORD,
                                code.equals("000000") ? "111111" : "000000"),
                        401)
                .then()
                .body("type", equalTo("/problems/login-code-invalid"));
        problem(loginRequest(randomAddress("10.202."), null, email, "wrong-password-x", code), 401)
                .then()
                .body("type", equalTo("about:blank")); // the code does not stand in for the password
        String newDevice = loginRequest(randomAddress("10.202."), null, email, PASSWORD, code)
                .then()
                .statusCode(204)
                .extract()
                .cookie(com.sansam.commerce.account.service.KnownDevices.COOKIE);
        problem(loginRequest(randomAddress("10.203."), null, email, PASSWORD, code), 401) // used up
                .then()
                .body("type", equalTo("/problems/login-code-invalid"));
        loginRequest(randomAddress("10.204."), newDevice, email, PASSWORD, null)
                .then()
                .statusCode(204); // known now
    }

    /** A hundred buyers logging in at once from one address (an office, a carrier's shared address): none waits. */
    @Test
    void aHundredConcurrentGoodLoginsFromOneAddressAllSucceed() throws Exception {
        java.util.List<String> emails = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String email = uniqueEmail();
            signup(email);
            emails.add(email);
        }
        String address = randomAddress("203.0.113.");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(100);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Integer>> logins = new java.util.ArrayList<>();
            for (String email : emails) {
                logins.add(pool.submit(() -> {
                    go.await();
                    return loginRequest(address, null, email, PASSWORD, null).statusCode();
                }));
            }
            go.countDown();
            int refused = 0;
            for (java.util.concurrent.Future<Integer> login : logins) {
                int status = login.get();
                refused += status == 429 ? 1 : 0;
                assertEquals(204, status);
            }
            assertEquals(0, refused);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A random address under {@code prefix} (which names its first two or three octets, ending with a dot). */
    private static String randomAddress(String prefix) {
        java.util.Random random = new java.util.Random();
        String address = prefix;
        while (address.chars().filter(c -> c == '.').count() < 3) {
            address += random.nextInt(250) + ".";
        }
        return address + (1 + random.nextInt(250));
    }

    private static io.restassured.response.Response loginRequest(
            String address, String device, String email, String password, String code) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("email", email, "password", password));
        if (code != null) {
            body.put("code", code);
        }
        io.restassured.specification.RequestSpecification request =
                given().header("X-Forwarded-For", address).contentType(ContentType.JSON);
        if (device != null) {
            request = request.cookie(com.sansam.commerce.account.service.KnownDevices.COOKIE, device);
        }
        return request.body(body).post("/api/v1/sessions");
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
        redis.hash(String.class)
                .hset(
                        com.sansam.runtime.session.SessionStore.SESSION_PREFIX + session,
                        "createdAt",
                        java.time.Instant.now()
                                .minus(java.time.Duration.ofHours(25))
                                .toString());
        // this replica answers from memory until it reads the session again (sansam.session.local-cache-ttl)
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(() -> as(session).get("/api/v1/users/me").then().statusCode(401));
        org.junit.jupiter.api.Assertions.assertEquals(
                0, redis.key().exists(com.sansam.runtime.session.SessionStore.SESSION_PREFIX + session) ? 1 : 0);
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
                answers.add(pool.submit(() -> given().header("X-Forwarded-For", address)
                        .contentType(ContentType.JSON)
                        .body(Map.of("email", email, "password", guess))
                        .post("/api/v1/sessions")
                        .statusCode()));
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
            problem(
                    given().header("X-Forwarded-For", address)
                            .contentType(ContentType.JSON)
                            .body(Map.of("email", email, "password", "wrong-password-1"))
                            .post("/api/v1/sessions"),
                    401);
        }
        String email = uniqueEmail();
        signup(email);
        problem(
                        given().header("X-Forwarded-For", address)
                                .contentType(ContentType.JSON)
                                .body(Map.of("email", email, "password", PASSWORD))
                                .post("/api/v1/sessions"),
                        429)
                .then()
                .header("Retry-After", notNullValue());
        // Another address is not affected; and a device the owner logged in from before works from this one too.
        String device = loginRequest(randomAddress("192.0.2."), null, email, PASSWORD, null)
                .then()
                .statusCode(204)
                .extract()
                .cookie(com.sansam.commerce.account.service.KnownDevices.COOKIE);
        loginRequest(address, device, email, PASSWORD, null).then().statusCode(204);
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

    /**
     * Behind the trusted proxy, the client is the right-most X-Forwarded-For entry that is not a proxy of ours: what a
     * client prepends itself (a new fake address each guess) does not give it fresh counters.
     */
    @Test
    void addressesAClientPrependsDoNotGiveItFreshCounters() throws Exception {
        String email = uniqueEmail();
        signup(email);
        String real = "198.51.100." + (1 + new java.util.Random().nextInt(250));
        for (int i = 0; i < 5; i++) {
            assertEquals(401, loginFrom("127.0.0.1", "10.9." + i + ".1, " + real, email, "wrong-password-" + i));
        }
        assertEquals(429, loginFrom("127.0.0.1", "10.9.99.1, " + real, email, PASSWORD));
        assertEquals(204, loginFrom("127.0.0.1", real.replaceAll("\\.\\d+$", ".252") + ", 127.0.0.1", email, PASSWORD));
    }

    /** A login request sent from a given local address (a raw HTTP/1.1 exchange: clients cannot pick their source). */
    private int loginFrom(String sourceAddress, String forwardedFor, String email) throws Exception {
        return loginFrom(sourceAddress, forwardedFor, email, "wrong-password-1");
    }

    private int loginFrom(String sourceAddress, String forwardedFor, String email, String password) throws Exception {
        String body = "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
        try (java.net.Socket socket =
                new java.net.Socket("127.0.0.1", base.getPort(), java.net.InetAddress.getByName(sourceAddress), 0)) {
            socket.getOutputStream()
                    .write(("POST /api/v1/sessions HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                                    + "X-Forwarded-For: " + forwardedFor + "\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                                    + "\r\nConnection: close\r\n\r\n" + body)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(
                            socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))
                    .readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    @Test
    void theConfiguredAdminCanLogInWithTheAdminRole() {
        as(adminSession())
                .get("/api/v1/users/me")
                .then()
                .statusCode(200)
                .body("email", equalTo(ADMIN_EMAIL))
                .body("role", equalTo("ADMIN"));
    }
}
