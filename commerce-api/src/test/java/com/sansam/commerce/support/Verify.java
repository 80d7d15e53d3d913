package com.sansam.commerce.support;

import static com.sansam.commerce.support.Api.as;

import jakarta.mail.internet.MimeMessage;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The verification flow as a buyer goes through it: the link from the email, the code from the SMS. */
public final class Verify {

    private static final Pattern TOKEN = Pattern.compile("verify-email=([A-Za-z0-9_.-]+)");

    private Verify() {}

    /** The token of the newest verification link emailed to {@code address}. */
    public static String emailToken(String address) {
        TestSmtp.await(address, "이메일 주소를 확인");
        String token = null;
        for (MimeMessage message : TestSmtp.to(address)) {
            Matcher found = TOKEN.matcher(TestSmtp.body(message));
            if (found.find()) {
                token = found.group(1);
            }
        }
        if (token == null) {
            throw new AssertionError("no verification link to " + address);
        }
        return token;
    }

    public static io.restassured.response.Response followLink(String token) {
        return io.restassured.RestAssured.given()
                .contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("token", token))
                .post("/api/v1/email-verifications");
    }

    public static io.restassured.response.Response sendCode(String session, String phone) {
        return as(session)
                .header("X-Forwarded-For", Api.nextClientAddress())
                .body(Map.of("phone", phone))
                .post("/api/v1/users/me/phone-verification");
    }

    public static io.restassured.response.Response confirmCode(String session, String code) {
        return as(session).body(Map.of("code", code)).post("/api/v1/users/me/phone-verification/confirm");
    }

    /** Sends a code to {@code domestic} (01012345678) and proves it with the code the simulator received. */
    public static void phone(String session, String domestic) {
        sendCode(session, domestic).then().statusCode(202);
        confirmCode(session, SmsSimulator.lastCode(domestic)).then().statusCode(200);
    }
}
