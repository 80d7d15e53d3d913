package com.sansam.chat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import com.sansam.chat.support.RedisSessions;
import com.sansam.runtime.testing.PackagedAppServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged chat-gateway (jar, or native executable where built): ready, refuses strangers, serves a member. */
@QuarkusIntegrationTest
@QuarkusTestResource(
        value = PackagedAppServices.class,
        restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "sansam_chat_test"))
class ChatGatewayIT {

    @Test
    void startsReadyAndServesASessionHolder() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/api/v1/chat/rooms/mine").then().statusCode(401);
        String session = RedisSessions.create(8_100_001L);
        int roomId = given().cookie("SESSION", session)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "패키지 방"))
                .post("/api/v1/chat/rooms")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().cookie("SESSION", session)
                .get("/api/v1/chat/rooms/mine")
                .then()
                .statusCode(200)
                .body("[0].room.id", equalTo(roomId));
    }
}
