package com.sansam.commerce.storefront;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.sansam.commerce.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every answer carries the security headers; the storefront's page and scripts are revalidated on every load (304
 * while unchanged, so a release reaches returning visitors at once); a state-changing API request whose body is not
 * JSON is refused (415) and changes nothing.
 */
@QuarkusTest
class HttpHygieneTest {

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        for (String path : new String[] {"/", "/shop/app.js", "/api/v1/categories", "/api/v1/no-such-route"}) {
            given().get(path)
                    .then()
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "DENY")
                    .header("Referrer-Policy", "strict-origin-when-cross-origin")
                    .header("Content-Security-Policy", containsString("script-src 'self';"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
        }
    }

    @Test
    void thePageAndItsScriptsAreRevalidatedOnEveryLoad() {
        for (String path : new String[] {"/", "/index.html", "/shop/app.js", "/shop/api.js", "/shop/app.css"}) {
            Response first = given().get(path);
            first.then().statusCode(200).header("Cache-Control", "no-cache");
            String lastModified = first.header("Last-Modified");
            given().header("If-Modified-Since", lastModified).get(path).then().statusCode(304);
        }
    }

    /** A request as a cross-site form or a no-cors fetch sends it (RestAssured would encode the body by its type). */
    private static java.net.http.HttpResponse<String> raw(String path, String contentType, String body) {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + path))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (!contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }
        try {
            return java.net.http.HttpClient.newHttpClient()
                    .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedAndChangesNothing() {
        String email = Api.uniqueEmail();
        String json = "{\"email\":\"" + email
                + "\",\"password\":\"correct-horse-9\",\"name\":\"김산삼\",\"phone\":\"010-1234-5678\"}";
        for (String type :
                new String[] {"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"
                }) {
            java.net.http.HttpResponse<String> refused = raw("/api/v1/users", type, json);
            org.junit.jupiter.api.Assertions.assertEquals(415, refused.statusCode(), type);
            org.junit.jupiter.api.Assertions.assertEquals(
                    "application/problem+json",
                    refused.headers().firstValue("Content-Type").orElse(""));
        }
        given().contentType("application/json; charset=UTF-8")
                .body(json)
                .post("/api/v1/users")
                .then()
                .statusCode(201);
        org.junit.jupiter.api.Assertions.assertEquals(
                415, raw("/api/v1/sessions", "text/plain", "{}").statusCode());
        Api.login(email, Api.PASSWORD);
        given().body(Map.of())
                .contentType("application/json")
                .post("/api/v1/sessions")
                .then()
                .statusCode(400);
    }

    /**
     * A NUL (or another control character) in a body, a path id or a query is refused with 400 before it reaches
     * PostgreSQL (which refuses it: these answered 500), anonymous, as a buyer and as an admin.
     */
    @Test
    void controlCharactersAreRefusedAtTheEdge() {
        Api.problem(
                        given().contentType("application/json")
                                .body("{\"email\":\"a\\u0000@example.com\",\"password\":\"x\"}")
                                .post("/api/v1/sessions"),
                        400)
                .then()
                .body("field", equalTo("email"));
        // sent as they are (RestAssured would encode the % itself)
        Api.problem(given().urlEncodingEnabled(false).get("/api/v1/products?q=%00"), 400);
        String buyer = Api.newUserSession();
        Api.problem(Api.as(buyer).urlEncodingEnabled(false).get("/api/v1/orders/%00"), 400);
        Api.problem(Api.as(buyer).urlEncodingEnabled(false).get("/api/v1/orders/ORD-1%00/status"), 400);
        Api.problem(Api.as(buyer).body("{\"sku\":\"A\\u0000\",\"quantity\":1}").post("/api/v1/cart/items"), 400)
                .then()
                .body("field", equalTo("sku"));
        Api.problem(
                Api.as(Api.adminSession())
                        .urlEncodingEnabled(false)
                        .body(Map.of("delta", 1, "reason", "x"))
                        .post("/api/v1/admin/skus/%00/stock"),
                400);
        Api.problem(Api.as(buyer).body("{\"name\":\"\\u0007bell\"}").patch("/api/v1/users/me"), 400)
                .then()
                .body("field", equalTo("name"));
    }
}
