package com.sansam.commerce.support;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** Small helpers shared by the resource tests: unique users, login, authenticated requests. */
public final class Api {

    public static final String PASSWORD = "correct-horse-9";
    public static final String ADMIN_EMAIL = "admin@sansam.test";
    public static final String ADMIN_PASSWORD = "test-admin-pass";

    private Api() {}

    public static String uniqueEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    public static Map<String, Object> signupBody(String email) {
        return Map.of("email", email, "password", PASSWORD, "name", "김산삼", "phone", "010-1234-5678");
    }

    /**
     * Signs up from an address of its own (X-Forwarded-For; the tests trust 127.0.0.1 as a proxy), as real shoppers
     * do: signups are limited per client address, and the tests make thousands.
     */
    public static long signup(String email) {
        return given().contentType(ContentType.JSON)
                .header("X-Forwarded-For", nextClientAddress())
                .body(signupBody(email))
                .when()
                .post("/api/v1/users")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    private static final java.util.concurrent.atomic.AtomicInteger CLIENTS =
            new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Logs in and answers the SESSION cookie value. Each login comes from an address of its own (X-Forwarded-For;
     * the tests trust 127.0.0.1 as a proxy), as real shoppers do: the login throttle counts failures per client
     * address, and other tests' deliberate failures from one address would make a new device wait there.
     */
    public static String login(String email, String password) {
        return given().contentType(ContentType.JSON)
                .header("X-Forwarded-For", nextClientAddress())
                .body(Map.of("email", email, "password", password))
                .when()
                .post("/api/v1/sessions")
                .then()
                .statusCode(204)
                .extract()
                .cookie("SESSION");
    }

    /** A client address no other request of this run used (10.x.y.z). */
    public static String nextClientAddress() {
        int client = CLIENTS.incrementAndGet();
        return "10." + ((client >> 16) & 255) + "." + ((client >> 8) & 255) + "." + (client & 255);
    }

    /** A random Korean mobile number in domestic form, clear of the SMS simulator's failing ranges (0104000…, …). */
    public static String randomMobile() {
        return String.format(
                "0106%07d", java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000_000));
    }

    /**
     * A new user with a verified email and phone, logged in: answers its session. Test setup for tests that buy in
     * deals: the account is marked verified in the database as the links and codes would (VerificationTest and the
     * browser test prove that flow end to end), with a number of its own (+8219…, a range the flow tests never use).
     */
    public static String verifiedUserSession() {
        String email = uniqueEmail();
        markVerified(signup(email));
        return login(email, PASSWORD);
    }

    /** A verified buyer with {@link Orders#ADDRESS} in the profile (a draw's order goes there). */
    public static String verifiedBuyerWithAddress() {
        String session = verifiedUserSession();
        as(session)
                .body(Map.of("shippingAddress", Orders.ADDRESS))
                .patch("/api/v1/users/me")
                .then()
                .statusCode(200);
        return session;
    }

    public static void markVerified(long userId) {
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        try (var db = java.sql.DriverManager.getConnection(
                        config.getValue("quarkus.datasource.jdbc.url", String.class),
                        config.getValue("quarkus.datasource.username", String.class),
                        config.getOptionalValue("quarkus.datasource.password", String.class)
                                .orElse(""));
                var update = db.prepareStatement("update users set email_verified_at = now(), verified_phone = ?, "
                        + "phone = ?, phone_verified_at = now() where id = ?")) {
            String phone = String.format("+8219%08d", userId % 100_000_000);
            update.setString(1, phone);
            update.setString(2, phone);
            update.setLong(3, userId);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("no user " + userId);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new user, logged in: answers its session. */
    public static String newUserSession() {
        String email = uniqueEmail();
        signup(email);
        return login(email, PASSWORD);
    }

    public static String adminSession() {
        return login(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    public static RequestSpecification as(String session) {
        return given().cookie("SESSION", session).contentType(ContentType.JSON);
    }

    /** Asserts an RFC 9457 problem answer with the given status, and answers it for more checks. */
    public static Response problem(Response response, int status) {
        response.then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status));
        return response;
    }
}
