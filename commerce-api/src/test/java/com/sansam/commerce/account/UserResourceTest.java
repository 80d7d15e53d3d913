package com.sansam.commerce.account;

import static com.sansam.commerce.support.Api.PASSWORD;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.login;
import static com.sansam.commerce.support.Api.problem;
import static com.sansam.commerce.support.Api.signup;
import static com.sansam.commerce.support.Api.signupBody;
import static com.sansam.commerce.support.Api.uniqueEmail;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UserResourceTest {

    @Test
    void signupCreatesAnAccountWithoutExposingThePassword() {
        String email = uniqueEmail();
        given().contentType(ContentType.JSON)
                .body(signupBody(email.toUpperCase()))
                .when()
                .post("/api/v1/users")
                .then()
                .statusCode(201)
                .header("Location", notNullValue())
                .body("id", notNullValue())
                .body("email", equalTo(email.toLowerCase()))
                .body("name", equalTo("김산삼"))
                .body("role", equalTo("USER"))
                .body("$", not(hasKey("password")))
                .body("$", not(hasKey("passwordHash")));
    }

    @Test
    void duplicateEmailIsAConflictWhateverItsCase() {
        String email = uniqueEmail();
        signup(email);
        problem(
                given().contentType(ContentType.JSON)
                        .body(signupBody(email.toUpperCase()))
                        .post("/api/v1/users"),
                409);
    }

    @Test
    void badSignupsAnswer400NamingTheFieldAndCreateNothing() {
        String email = uniqueEmail();
        Map<String, Map<String, Object>> cases = Map.of(
                "email", with(email, "email", "not-an-email"),
                "password", with(email, "password", "short1"),
                "name", with(email, "name", "가".repeat(51)));
        cases.forEach((field, body) -> problem(
                        given().contentType(ContentType.JSON).body(body).post("/api/v1/users"), 400)
                .then()
                .body("field", equalTo(field)));

        Map<String, Object> missingPhone = new HashMap<>(signupBody(email));
        missingPhone.remove("phone");
        problem(given().contentType(ContentType.JSON).body(missingPhone).post("/api/v1/users"), 400)
                .then()
                .body("field", equalTo("phone"));
        problem(
                        given().contentType(ContentType.JSON)
                                .body(with(email, "password", "1234567890"))
                                .post("/api/v1/users"),
                        400)
                .then()
                .body("field", equalTo("password"));
        problem(
                given().contentType(ContentType.JSON)
                        .body("{\"email\": \"" + email + "\", \"password\": ")
                        .post("/api/v1/users"),
                400);
        problem(
                        given().contentType(ContentType.JSON)
                                .body("{\"email\": \"" + email + "\", \"phone\": {\"a\": 1}}")
                                .post("/api/v1/users"),
                        400)
                .then()
                .body("field", equalTo("phone"));
        problem(given().contentType(ContentType.JSON).post("/api/v1/users"), 400);

        // Nothing was written: the address is still free.
        signup(email);
    }

    @Test
    void profileNeedsASession() {
        problem(given().get("/api/v1/users/me"), 401);
        problem(given().cookie("SESSION", "not-a-session").get("/api/v1/users/me"), 401);
        problem(given().contentType(ContentType.JSON).body(Map.of("name", "x")).patch("/api/v1/users/me"), 401);
    }

    @Test
    void eachUserSeesOnlyTheirOwnProfile() {
        String alice = uniqueEmail();
        String bob = uniqueEmail();
        long aliceId = signup(alice);
        long bobId = signup(bob);
        as(login(alice, PASSWORD))
                .get("/api/v1/users/me")
                .then()
                .statusCode(200)
                .body("id", equalTo((int) aliceId))
                .body("email", equalTo(alice));
        as(login(bob, PASSWORD))
                .get("/api/v1/users/me")
                .then()
                .statusCode(200)
                .body("id", equalTo((int) bobId))
                .body("email", equalTo(bob));
        problem(as(login(bob, PASSWORD)).get("/api/v1/users/" + aliceId), 404);
    }

    @Test
    void profileEditChangesOnlyTheGivenFields() {
        String email = uniqueEmail();
        signup(email);
        String session = login(email, PASSWORD);
        as(session)
                .body(Map.of(
                        "name",
                        "이럭셔리",
                        "annualIncome",
                        150_000_000,
                        "emailOptIn",
                        false,
                        "shippingAddress",
                        Map.of(
                                "recipient",
                                "이럭셔리",
                                "phone",
                                "010-9999-0000",
                                "zipCode",
                                "06000",
                                "address1",
                                "서울 강남구 압구정로 1",
                                "address2",
                                "101호")))
                .patch("/api/v1/users/me")
                .then()
                .statusCode(200)
                .body("name", equalTo("이럭셔리"))
                .body("phone", equalTo("+821012345678"))
                .body("annualIncome", equalTo(150_000_000))
                .body("emailOptIn", equalTo(false))
                .body("shippingAddress.zipCode", equalTo("06000"));
        as(session).get("/api/v1/users/me").then().body("shippingAddress.address2", equalTo("101호"));

        problem(
                        as(session)
                                .body(Map.of(
                                        "shippingAddress",
                                        Map.of(
                                                "recipient",
                                                "x",
                                                "phone",
                                                "010-1111-2222",
                                                "zipCode",
                                                "abc",
                                                "address1",
                                                "y")))
                                .patch("/api/v1/users/me"),
                        400)
                .then()
                .body("field", equalTo("shippingAddress.zipCode"));
        problem(as(session).body(Map.of("annualIncome", "lots")).patch("/api/v1/users/me"), 400)
                .then()
                .body("field", equalTo("annualIncome"));
        problem(as(session).body(Map.of("name", " ")).patch("/api/v1/users/me"), 400)
                .then()
                .body("field", equalTo("name"));
        as(session).get("/api/v1/users/me").then().body("name", equalTo("이럭셔리"));
    }

    @Test
    void passwordChangeNeedsTheCurrentPasswordAndEndsOtherSessions() {
        String email = uniqueEmail();
        signup(email);
        String current = login(email, PASSWORD);
        String other = login(email, PASSWORD);

        problem(as(current).body(Map.of("newPassword", "brand-new-pass-1")).patch("/api/v1/users/me"), 400)
                .then()
                .body("field", equalTo("currentPassword"));
        problem(
                        as(current)
                                .body(Map.of("currentPassword", "wrong-pass-1", "newPassword", "brand-new-pass-1"))
                                .patch("/api/v1/users/me"),
                        400)
                .then()
                .body("field", equalTo("currentPassword"));
        as(other).get("/api/v1/users/me").then().statusCode(200);

        as(current)
                .body(Map.of("currentPassword", PASSWORD, "newPassword", "brand-new-pass-1"))
                .patch("/api/v1/users/me")
                .then()
                .statusCode(200);

        as(current).get("/api/v1/users/me").then().statusCode(200);
        problem(as(other).get("/api/v1/users/me"), 401);
        problem(
                given().contentType(ContentType.JSON)
                        .body(Map.of("email", email, "password", PASSWORD))
                        .post("/api/v1/sessions"),
                401);
        login(email, "brand-new-pass-1");
    }

    @Test
    void withdrawalNeedsThePasswordErasesDataAndEndsEverySession() {
        String email = uniqueEmail();
        signup(email);
        String first = login(email, PASSWORD);
        String second = login(email, PASSWORD);

        problem(as(first).body(Map.of("password", "wrong-pass-1")).delete("/api/v1/users/me"), 400);
        as(first).get("/api/v1/users/me").then().statusCode(200);

        as(first)
                .body(Map.of("password", PASSWORD))
                .delete("/api/v1/users/me")
                .then()
                .statusCode(204);

        problem(as(first).get("/api/v1/users/me"), 401);
        problem(as(second).get("/api/v1/users/me"), 401);
        problem(
                given().contentType(ContentType.JSON)
                        .body(Map.of("email", email, "password", PASSWORD))
                        .post("/api/v1/sessions"),
                401);
        // The address is free again; the old row keeps no personal data.
        signup(email);
    }

    @jakarta.inject.Inject
    io.quarkus.redis.datasource.RedisDataSource redis;

    @Test
    void aWithdrawalWhoseSessionsCannotBeEndedChangesNothing() {
        String email = uniqueEmail();
        long userId = signup(email);
        String session = login(email, PASSWORD);
        // Redis fails on exactly the revocation (the user's session index answers WRONGTYPE)
        String index = com.sansam.runtime.session.SessionStore.USER_SESSIONS_PREFIX + userId;
        redis.value(String.class).set(index, "not a set");

        int status = as(session)
                .body(Map.of("password", PASSWORD))
                .delete("/api/v1/users/me")
                .then()
                .extract()
                .statusCode();
        org.junit.jupiter.api.Assertions.assertTrue(status >= 500, "the withdrawal fails: " + status);
        // nothing was erased: the account and its session work as before
        as(session).get("/api/v1/users/me").then().statusCode(200).body("email", org.hamcrest.Matchers.equalTo(email));

        redis.key().del(index); // Redis is well again (the index as it was)
        redis.set(String.class).sadd(index, session);
        as(session)
                .body(Map.of("password", PASSWORD))
                .delete("/api/v1/users/me")
                .then()
                .statusCode(204);
        problem(as(session).get("/api/v1/users/me"), 401);
        org.junit.jupiter.api.Assertions.assertFalse(
                redis.key().exists(com.sansam.runtime.session.SessionStore.SESSION_PREFIX + session),
                "the session is gone");
    }

    private static Map<String, Object> with(String email, String field, Object value) {
        Map<String, Object> body = new HashMap<>(signupBody(email));
        body.put(field, value);
        return body;
    }
}
