package com.sansam.runtime.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

import org.junit.jupiter.api.Test;

/**
 * What every service must expose for operations: readiness that really checks PostgreSQL, Redis and
 * RabbitMQ, liveness, the OpenAPI document and Prometheus metrics. Each service's test extends this.
 */
public abstract class OperationsEndpointsContract {

    @Test
    void readinessChecksDatabaseRedisAndBroker() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(matchesPattern("(?i).*postgres.*")))
                .body("checks.name", hasItem(matchesPattern("(?i).*redis.*")))
                .body("checks.name", hasItem(matchesPattern("(?i).*messaging.*")));
    }

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void openApiDocumentIsServed() {
        given().accept("application/json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("openapi", matchesPattern("3\\..*"));
    }

    @Test
    void prometheusMetricsAreServed() {
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("sansam_outbox_lag_seconds"));
    }

    @Test
    void anOversizedBodyIs413ProblemJson() {
        given().contentType("application/json")
                .body("{\"x\":\"" + "a".repeat(300 * 1024) + "\"}")
                .post("/api/v1/anything")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413));
    }

    @Test
    void everyConsumerIsConsuming() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'Message consumers' }.status", equalTo("UP"));
    }
}
