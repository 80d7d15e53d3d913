package com.sansam.commerce.account;

import static com.sansam.commerce.support.Api.PASSWORD;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.login;
import static com.sansam.commerce.support.Api.newUserSession;
import static com.sansam.commerce.support.Api.problem;
import static com.sansam.commerce.support.Api.randomMobile;
import static com.sansam.commerce.support.Api.signup;
import static com.sansam.commerce.support.Api.signupBody;
import static com.sansam.commerce.support.Api.uniqueEmail;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sansam.commerce.support.AtOnce;
import com.sansam.commerce.support.SmsSimulator;
import com.sansam.commerce.support.Verify;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** One person, one buyer: email links, SMS codes, one number per account, signup limits (real SMTP, SMS simulator). */
@QuarkusTest
class VerificationTest {

    @Inject
    RedisDataSource redis;

    @ConfigProperty(name = "sansam.account.verification.link-secret")
    String linkSecret;

    @Test
    void theEmailLinkVerifiesOnceAndForgedOrExpiredLinksAreRefused() {
        String email = uniqueEmail();
        long id = signup(email);
        String session = login(email, PASSWORD);
        String token = Verify.emailToken(email);
        as(session).get("/api/v1/users/me").then().body("emailVerified", equalTo(false));

        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3].substring(1) + "A";
        problem(Verify.followLink(forged), 400).then().body("type", equalTo("/problems/verification-link-invalid"));
        String otherUser = (id + 1) + "." + parts[1] + "." + parts[2] + "." + parts[3];
        problem(Verify.followLink(otherUser), 400);
        String later = parts[0] + "." + (Long.parseLong(parts[1]) + 86_400) + "." + parts[2] + "." + parts[3];
        problem(Verify.followLink(later), 400); // the expiry is signed too
        problem(Verify.followLink("not-a-token"), 400);
        // the link's own signature with an expiry in the past: what a day-old link looks like
        String payload = parts[0] + "." + (System.currentTimeMillis() / 1000 - 60) + "." + parts[2];
        problem(Verify.followLink(payload + "." + sign(payload, email)), 410)
                .then()
                .body("type", equalTo("/problems/verification-link-expired"));
        as(session).get("/api/v1/users/me").then().body("emailVerified", equalTo(false));
        // asking for the email the account already has changes nothing, and voids no link
        as(session)
                .body(Map.of("email", email, "currentPassword", PASSWORD))
                .patch("/api/v1/users/me")
                .then()
                .statusCode(200)
                .body("pendingEmail", equalTo(null));

        Verify.followLink(token).then().statusCode(204);
        as(session).get("/api/v1/users/me").then().body("emailVerified", equalTo(true));
        problem(Verify.followLink(token), 409).then().body("type", equalTo("/problems/verification-link-used"));
        problem(as(session).post("/api/v1/users/me/email-verification"), 409); // nothing left to verify
    }

    @Test
    void aNewLinkVoidsTheOldOneAndResendingIsLimited() {
        String email = uniqueEmail();
        signup(email);
        String session = login(email, PASSWORD);
        String first = Verify.emailToken(email);
        as(session).post("/api/v1/users/me/email-verification").then().statusCode(202);
        problem(as(session).post("/api/v1/users/me/email-verification"), 429)
                .then()
                .header("Retry-After", notNullValue());
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> !Verify.emailToken(email).equals(first));
        problem(Verify.followLink(first), 409);
        Verify.followLink(Verify.emailToken(email)).then().statusCode(204);
    }

    @Test
    void aChangedEmailTakesEffectOnlyOnceTheNewAddressIsProven() {
        String email = uniqueEmail();
        signup(email);
        String session = login(email, PASSWORD);
        Verify.followLink(Verify.emailToken(email)).then().statusCode(204);
        String newEmail = uniqueEmail();
        problem(as(session).body(Map.of("email", newEmail)).patch("/api/v1/users/me"), 400)
                .then()
                .body("field", equalTo("currentPassword"));
        as(session)
                .body(Map.of("email", newEmail, "currentPassword", PASSWORD))
                .patch("/api/v1/users/me")
                .then()
                .statusCode(200)
                .body("email", equalTo(email))
                .body("pendingEmail", equalTo(newEmail))
                .body("emailVerified", equalTo(true));
        login(email, PASSWORD); // the old address still logs in until the new one is proven
        Verify.followLink(Verify.emailToken(newEmail)).then().statusCode(204);
        as(session)
                .get("/api/v1/users/me")
                .then()
                .body("email", equalTo(newEmail))
                .body("pendingEmail", equalTo(null))
                .body("emailVerified", equalTo(true));
        login(newEmail, PASSWORD);
    }

    @Test
    void aPhoneCodeVerifiesTheNumberAndGuessingItIsStopped() {
        String session = newUserSession();
        problem(Verify.sendCode(session, "070-1234-5678"), 400).then().body("field", equalTo("phone"));
        problem(Verify.sendCode(session, "02-123-4567"), 400).then().body("field", equalTo("phone"));

        String guessed = randomMobile();
        Verify.sendCode(session, guessed)
                .then()
                .statusCode(202)
                .body("phone", equalTo(guessed.substring(0, 3) + "-****-" + guessed.substring(7)));
        String code = SmsSimulator.lastCode(guessed);
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int left = 4; left >= 0; left--) {
            problem(Verify.confirmCode(session, wrong), 400).then().body("extra.attemptsLeft", equalTo(left));
        }
        // five wrong tries used the code up: even the right one no longer works
        problem(Verify.confirmCode(session, code), 400).then().body("type", equalTo("/problems/phone-code-expired"));
        problem(Verify.sendCode(session, guessed), 429).then().header("Retry-After", notNullValue());

        String mobile = randomMobile();
        Verify.sendCode(
                        session,
                        "+82 " + mobile.substring(1, 3) + " " + mobile.substring(3, 7) + " " + mobile.substring(7))
                .then()
                .statusCode(202);
        String right = SmsSimulator.lastCode(mobile);
        Verify.confirmCode(session, right)
                .then()
                .statusCode(200)
                .body("phoneVerified", equalTo(true))
                .body("phone", equalTo("+82" + mobile.substring(1)));
        problem(Verify.confirmCode(session, right), 400); // used up
        problem(Verify.sendCode(session, mobile), 409).then().body("type", equalTo("/problems/phone-already-verified"));
    }

    @Test
    void twentyAccountsRacingForOneNumberLeaveItWithOne() throws Exception {
        String phone = randomMobile();
        List<String> sessions = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String session = newUserSession();
            Verify.sendCode(session, phone).then().statusCode(202);
            sessions.add(session);
            codes.add(SmsSimulator.lastCode(phone));
        }
        // the number's codes for the window are spent: a 21st account gets none
        problem(Verify.sendCode(newUserSession(), phone), 429);

        List<Response> answers = AtOnce.fire(20, i -> Verify.confirmCode(sessions.get(i), codes.get(i)));
        long held = answers.stream().filter(a -> a.statusCode() == 200).count();
        long taken = answers.stream()
                .filter(a -> a.statusCode() == 409
                        && "/problems/phone-taken".equals(a.jsonPath().getString("type")))
                .count();
        assertEquals(1, held, "exactly one account holds the number");
        assertEquals(19, taken, "the others are told it is taken");
        problem(Verify.sendCode(newUserSession(), phone), 409).then().body("type", equalTo("/problems/phone-taken"));
    }

    @Test
    void withdrawalFreesTheNumber() {
        String phone = randomMobile();
        String first = newUserSession();
        Verify.phone(first, phone);
        as(first)
                .body(Map.of("password", PASSWORD))
                .delete("/api/v1/users/me")
                .then()
                .statusCode(204);
        Verify.phone(newUserSession(), phone);
    }

    @Test
    void anSmsProviderFailureIsRetryableAndNothingIsSentTwice() {
        String session = newUserSession();
        String failing = "0105000" + randomMobile().substring(7);
        problem(Verify.sendCode(session, failing), 503)
                .then()
                .header("Retry-After", notNullValue())
                .body("type", equalTo("/problems/sms-unavailable"));
        problem(Verify.sendCode(session, failing), 503); // the provider said nothing went out: asking again works
        assertEquals(2, SmsSimulator.textsTo(failing).size(), "one send per request, never repeated by the shop");

        String slow = "0109000" + randomMobile().substring(7);
        problem(Verify.sendCode(session, slow), 503)
                .then()
                .header("Retry-After", notNullValue())
                .body("type", equalTo("/problems/sms-unsure"));
        // the code may still arrive: no second send within the resend delay, and the code that arrives works
        problem(Verify.sendCode(session, slow), 429).then().body("type", equalTo("/problems/code-resend-too-soon"));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(15))
                .until(() -> SmsSimulator.textsTo(slow).size() == 1);
        Verify.confirmCode(session, SmsSimulator.lastCode(slow)).then().statusCode(200);
        assertEquals(1, SmsSimulator.textsTo(slow).size());

        problem(Verify.sendCode(session, "0104000" + randomMobile().substring(7)), 400)
                .then()
                .body("field", equalTo("phone"));
    }

    @Test
    void signupRefusesNonsenseAndIsLimitedPerAddress() {
        Map<String, Object> noDomain = new HashMap<>(signupBody("someone@localhost"));
        problem(given().contentType(ContentType.JSON).body(noDomain).post("/api/v1/users"), 400)
                .then()
                .body("field", equalTo("email"));
        Map<String, Object> landline = new HashMap<>(signupBody(uniqueEmail()));
        landline.put("phone", "02-555-1234");
        problem(given().contentType(ContentType.JSON).body(landline).post("/api/v1/users"), 400)
                .then()
                .body("field", equalTo("phone"));

        String address = "10.250." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250);
        // this address signed up 999 times in the window already (the test profile's limit is 1,000)
        redis.value(Long.class).setex("sansam:signup:address:" + address, 3600, 999L);
        given().contentType(ContentType.JSON)
                .header("X-Forwarded-For", address)
                .body(signupBody(uniqueEmail()))
                .post("/api/v1/users")
                .then()
                .statusCode(201);
        String refused = uniqueEmail();
        problem(
                        given().contentType(ContentType.JSON)
                                .header("X-Forwarded-For", address)
                                .body(signupBody(refused))
                                .post("/api/v1/users"),
                        429)
                .then()
                .header("Retry-After", notNullValue());
        given().contentType(ContentType.JSON)
                .body(Map.of("email", refused, "password", PASSWORD))
                .post("/api/v1/sessions")
                .then()
                .statusCode(401); // no account was made
        redis.key().del("sansam:signup:address:" + address);
    }

    private String sign(String payload, String address) throws IllegalStateException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(linkSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(mac.doFinal((payload + "|" + address).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
