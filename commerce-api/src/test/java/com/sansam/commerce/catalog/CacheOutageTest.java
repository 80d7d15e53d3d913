package com.sansam.commerce.catalog;

import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalogue cache's Redis is unreachable: browsing still works from the database. */
@QuarkusTest
@TestProfile(CacheOutageTest.CacheDown.class)
class CacheOutageTest {

    public static class CacheDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Nothing listens on port 1: every cache call fails fast.
            return Map.of("quarkus.redis.cache.hosts", "redis://127.0.0.1:1");
        }
    }

    /** The pod keeps its traffic: readiness asks the sessions' Redis, and only reports the cache's. */
    @Test
    void readinessStaysUpWhileOnlyTheCacheIsDown() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'Redis (sessions)' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Redis (catalogue cache)' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Redis (catalogue cache)' }.data.redis", startsWith("unreachable"));
    }

    @Test
    void browsingDegradesToTheDatabase() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 2_000_000, 2);
        given().get("/api/v1/products/" + bag.id()).then().statusCode(200).body("price", equalTo(2_000_000));
        given().queryParam("category", "bags")
                .get("/api/v1/products")
                .then()
                .statusCode(200)
                .body("items.id", hasItem((int) bag.id()));
        as(admin)
                .body(Map.of("price", 2_500_000))
                .patch("/api/v1/admin/products/" + bag.id())
                .then()
                .statusCode(200);
        given().get("/api/v1/products/" + bag.id()).then().statusCode(200).body("price", equalTo(2_500_000));
        // not silently: every failed cache call is counted for the dashboards and the bench
        org.junit.jupiter.api.Assertions.assertTrue(
                CatalogHttpCachingTest.metric("sansam_catalog_cache_failures_total", "read") >= 3,
                "failed cache reads are counted");
        org.junit.jupiter.api.Assertions.assertTrue(
                CatalogHttpCachingTest.metric("sansam_catalog_cache_failures_total", "invalidate") >= 1,
                "a failed invalidation is counted");
    }
}
