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

    public static long signup(String email) {
        return given().contentType(ContentType.JSON)
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
        int client = CLIENTS.incrementAndGet();
        return given().contentType(ContentType.JSON)
                .header(
                        "X-Forwarded-For",
                        "10." + ((client >> 16) & 255) + "." + ((client >> 8) & 255) + "." + (client & 255))
                .body(Map.of("email", email, "password", password))
                .when()
                .post("/api/v1/sessions")
                .then()
                .statusCode(204)
                .extract()
                .cookie("SESSION");
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
