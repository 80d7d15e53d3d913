package com.sansam.commerce;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.sansam.runtime.testing.PackagedAppServices;
import com.sansam.runtime.testing.PackagedService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged commerce-api on one Redis: each answers sessions from its own memory, and a session
 * ended on one (logout) is refused by the other too, without waiting for that memory to run out.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(
        value = PackagedAppServices.class,
        restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "sansam_commerce_test"))
class SessionAcrossReplicasIT {

    private static final PackagedService OTHER = new PackagedService(
            "commerce-api", Path.of("target", "quarkus-app", "quarkus-run.jar"), "commerce-api-replica-b", 0);

    @BeforeAll
    static void startTheOtherReplica() {
        OTHER.start(Map.of(
                "EMAIL_LINK_SECRET", "replica-test-email-link-secret-0123456789",
                "SOLAPI_API_KEY", "NCSREPLICATEST",
                "DRAW_SEAL_KEY", "replica-test-draw-seal-key-0123456789",
                "SOLAPI_API_SECRET", "replica-test-sms-secret",
                "DB_URL", "postgresql://127.0.0.1:5432/sansam_commerce_test",
                "REDIS_URL", System.getenv().getOrDefault("REDIS_TEST_URL", "redis://127.0.0.1:6379/1"),
                "RABBITMQ_VHOST", System.getenv().getOrDefault("RABBITMQ_TEST_VHOST", "sansam_test"),
                "TOSS_SECRET_KEY", "test_sk_local_simulator",
                "QUARKUS_FLYWAY_MIGRATE_AT_START", "false",
                // long enough that only the announcement can explain a prompt refusal
                "SANSAM_SESSION_LOCAL_CACHE_TTL", "PT10M"));
    }

    @AfterAll
    static void stopIt() {
        OTHER.kill();
    }

    @Test
    void aSessionEndedOnOneReplicaIsRefusedByTheOther() {
        String email = "replicas-" + java.util.UUID.randomUUID() + "@sansam.test";
        given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "packaged-pass-1", "name", "복제", "phone", "010-1234-5678"))
                .post("/api/v1/users")
                .then()
                .statusCode(201);
        String session = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "packaged-pass-1"))
                .post("/api/v1/sessions")
                .then()
                .statusCode(204)
                .extract()
                .cookie("SESSION");
        String other = OTHER.baseUrl();
        given().cookie("SESSION", session)
                .get(other + "/api/v1/users/me")
                .then()
                .statusCode(200); // remembered there now

        given().cookie("SESSION", session)
                .delete("/api/v1/sessions/current")
                .then()
                .statusCode(204);
        long loggedOut = System.nanoTime();
        await().pollInterval(Duration.ofMillis(5))
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().cookie("SESSION", session)
                        .get(other + "/api/v1/users/me")
                        .then()
                        .statusCode(401));
        // reported, not asserted: how long the other replica still honoured the revoked session
        System.out.printf(
                "Session revoked on one replica, refused by the other after %d ms%n",
                (System.nanoTime() - loggedOut) / 1_000_000);
    }
}
