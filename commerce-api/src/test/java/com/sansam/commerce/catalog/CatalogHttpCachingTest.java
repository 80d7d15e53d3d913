package com.sansam.commerce.catalog;

import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Browsers and CDNs may keep catalogue answers: ETag + Cache-Control, 304 on a matching If-None-Match, and a new
 * ETag right after any change a shopper would see (price, stock availability, retirement). The cache counts its hits
 * and never fails silently (a healthy run counts 0 failures).
 */
@QuarkusTest
class CatalogHttpCachingTest {

    private static final long TOTE = 2;

    @Test
    void productDetailIsRevalidatedByETagAndChangesWithPriceStockAndRetirement() {
        double failuresBefore = metric("sansam_catalog_cache_failures_total", "read")
                + metric("sansam_catalog_cache_failures_total", "write")
                + metric("sansam_catalog_cache_failures_total", "invalidate");
        double hitsBefore = metric("sansam_catalog_cache_requests_total", "hit");
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Cached Tote", 1_200_000, TOTE, "", 1, 2);
        String path = "/api/v1/products/" + bag.id();

        Response first = given().get(path);
        first.then()
                .statusCode(200)
                .contentType(containsString("application/json"))
                .header("ETag", notNullValue())
                .header("Cache-Control", containsString("public"))
                .header("Cache-Control", containsString("must-revalidate"))
                .body("price", equalTo(1_200_000));
        String etag = first.header("ETag");
        given().header("If-None-Match", etag)
                .get(path)
                .then()
                .statusCode(304)
                .body(emptyString())
                .header("ETag", etag);
        given().header("If-None-Match", "W/\"someone-else\"").get(path).then().statusCode(200);

        // price
        as(admin)
                .body(Map.of("price", 1_300_000))
                .patch("/api/v1/admin/products/" + bag.id())
                .then()
                .statusCode(200);
        Response repriced = given().header("If-None-Match", etag).get(path);
        repriced.then().statusCode(200).body("price", equalTo(1_300_000));
        String afterPrice = repriced.header("ETag");
        assertNotEquals(etag, afterPrice);

        // stock availability (admin -> outbox -> stock-worker -> StockChanged -> catalogue)
        as(admin)
                .body(Map.of("delta", 3, "reason", "delivery"))
                .post("/api/v1/admin/skus/" + bag.sku() + "/stock")
                .then()
                .statusCode(202);
        Catalog.awaitAvailable(bag.id(), bag.sku(), 5);
        Response restocked = given().header("If-None-Match", afterPrice).get(path);
        restocked.then().statusCode(200).body("options[0].available", equalTo(5));
        assertNotEquals(afterPrice, restocked.header("ETag"));
        String afterStock = restocked.header("ETag");
        given().header("If-None-Match", afterStock).get(path).then().statusCode(304);

        // retirement: gone, not "not modified"
        as(admin).delete("/api/v1/admin/products/" + bag.id()).then().statusCode(204);
        given().header("If-None-Match", afterStock)
                .get(path)
                .then()
                .statusCode(404)
                .contentType(containsString("application/problem+json"));

        assertEquals(
                failuresBefore,
                metric("sansam_catalog_cache_failures_total", "read")
                        + metric("sansam_catalog_cache_failures_total", "write")
                        + metric("sansam_catalog_cache_failures_total", "invalidate"),
                "no cache call failed in a healthy run");
        assertNotEquals(hitsBefore, metric("sansam_catalog_cache_requests_total", "hit"), "repeated reads were hits");
    }

    @Test
    void listingsAndSearchPagesAreRevalidatedAndChangeWhenAProductIsAdded() {
        String admin = adminSession();
        String brand = Catalog.uniqueBrand();
        Catalog.product(admin, brand, "첫 토트", 900_000, TOTE);
        Response listing = given().queryParam("brand", brand).get("/api/v1/products");
        listing.then()
                .statusCode(200)
                .body("items.size()", equalTo(1))
                .header("Cache-Control", containsString("public"));
        String etag = listing.header("ETag");
        given().queryParam("brand", brand)
                .header("If-None-Match", etag)
                .get("/api/v1/products")
                .then()
                .statusCode(304);

        Catalog.product(admin, brand, "둘째 토트", 950_000, TOTE);
        Response grown =
                given().queryParam("brand", brand).header("If-None-Match", etag).get("/api/v1/products");
        grown.then().statusCode(200).body("items.size()", equalTo(2));
        assertNotEquals(etag, grown.header("ETag"));

        // a Korean part of a word, from the cache the second time, the same bytes and ETag
        Response search =
                given().queryParam("q", "토트").queryParam("brand", brand).get("/api/v1/products");
        search.then().statusCode(200).body("items.size()", equalTo(2));
        Response again =
                given().queryParam("q", "토트").queryParam("brand", brand).get("/api/v1/products");
        assertEquals(search.asString(), again.asString());
        assertEquals(search.header("ETag"), again.header("ETag"));

        Response categories = given().get("/api/v1/categories");
        categories.then().statusCode(200).header("ETag", notNullValue());
        given().header("If-None-Match", categories.header("ETag"))
                .get("/api/v1/categories")
                .then()
                .statusCode(304);
    }

    /** A counter of /q/metrics by its one label's value (0 when absent). */
    static double metric(String name, String labelValue) {
        String text = given().get("/q/metrics").asString();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*=\"" + labelValue + "\"[^}]*} ([0-9.eE+-]+)(?: +#.*)?$")
                .matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
