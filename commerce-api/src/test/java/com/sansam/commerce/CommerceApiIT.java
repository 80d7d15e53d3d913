package com.sansam.commerce;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import com.sansam.runtime.testing.PackagedAppServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged commerce-api (jar, or native executable where built): it starts, is ready, and serves a shopper. */
@QuarkusIntegrationTest
@QuarkusTestResource(
        value = PackagedAppServices.class,
        restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "sansam_commerce_test"))
class CommerceApiIT {

    @Test
    void startsReadyAndServesASignedInShopper() {
        given().get("/q/health/ready").then().statusCode(200);
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "email",
                        "packaged@sansam.test",
                        "password",
                        "packaged-pass-1",
                        "name",
                        "패키지",
                        "phone",
                        "010-1234-5678"))
                .post("/api/v1/users")
                .then()
                .statusCode(201);
        String session = given().contentType(ContentType.JSON)
                .body(Map.of("email", "packaged@sansam.test", "password", "packaged-pass-1"))
                .post("/api/v1/sessions")
                .then()
                .statusCode(204)
                .extract()
                .cookie("SESSION");
        given().cookie("SESSION", session)
                .get("/api/v1/users/me")
                .then()
                .statusCode(200)
                .body("name", equalTo("패키지"));
        given().get("/api/v1/categories").then().statusCode(200).body("[0].name", notNullValue());
    }
}
