package com.sansam.chat;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sansam.chat.support.ChatClient;
import com.sansam.chat.support.Chatters;
import com.sansam.chat.support.Chatters.Chatter;
import com.sansam.runtime.session.SessionStore;
import com.sansam.runtime.testing.CleanRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rooms API: creation, search, conditions on joining, leaving, history and deleting messages. */
@QuarkusTest
@QuarkusTestResource(value = CleanRedis.class, restrictToAnnotatedClass = false)
class RoomResourceTest {

    @Inject
    SessionStore sessions;

    @Inject
    Vertx vertx;

    @TestHTTPResource
    URI base;

    @Test
    void roomsNeedALogin() {
        RestAssured.given().get("/api/v1/chat/rooms").then().statusCode(401);
        RestAssured.given()
                .cookie("SESSION", "no-such-session")
                .get("/api/v1/chat/rooms/mine")
                .then()
                .statusCode(401);
    }

    @Test
    void aCreatorJoinsTheRoomAndItIsFoundByAPartOfItsKoreanName() {
        Chatter owner = Chatters.create(sessions, "김소장", null, 0);
        long roomId = createRoom(owner, Map.of("name", "에르메스 버킨 수집가 모임"));
        owner.api()
                .get("/api/v1/chat/rooms/mine")
                .then()
                .statusCode(200)
                .body("room.id", hasItem((int) roomId))
                .body("find { it.room.id == " + roomId + " }.unread", equalTo(0));
        Chatter other = Chatters.create(sessions, "이구경", null, 0);
        other.api()
                .queryParam("q", "버킨")
                .get("/api/v1/chat/rooms")
                .then()
                .statusCode(200)
                .body("rooms.id", hasItem((int) roomId))
                .body("rooms.find { it.id == " + roomId + " }.joined", equalTo(false))
                .body("rooms.find { it.id == " + roomId + " }.memberCount", equalTo(1));
        other.api()
                .queryParam("q", "샤넬")
                .get("/api/v1/chat/rooms")
                .then()
                .statusCode(200)
                .body("rooms.id", not(hasItem((int) roomId)));
    }

    @Test
    void myRoomsArePagedWithACap() {
        Chatter owner = Chatters.create(sessions, "방부자", null, 0);
        long first = createRoom(owner, Map.of("name", "첫째 방"));
        long second = createRoom(owner, Map.of("name", "둘째 방"));
        long third = createRoom(owner, Map.of("name", "셋째 방"));
        owner.api()
                .queryParam("size", 2)
                .get("/api/v1/chat/rooms/mine")
                .then()
                .statusCode(200)
                .body("size()", equalTo(2))
                .body("room.id", org.hamcrest.Matchers.contains((int) third, (int) second)); // newest activity first
        owner.api().get("/api/v1/chat/rooms/mine").then().statusCode(200).body("room.id", hasItem((int) first));
        owner.api()
                .queryParam("size", 101)
                .get("/api/v1/chat/rooms/mine")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("size"));
        owner.api().queryParam("size", 0).get("/api/v1/chat/rooms/mine").then().statusCode(400);
    }

    @Test
    void creatingRoomsFasterThanTheLimitIs429WithRetryAfter() {
        Chatter owner = Chatters.create(sessions, "방공장", null, 0);
        for (int i = 1; i <= 10; i++) {
            createRoom(owner, Map.of("name", "방 " + i));
        }
        owner.api()
                .body(Map.of("name", "방 11"))
                .post("/api/v1/chat/rooms")
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
        owner.api()
                .queryParam("q", "방 11")
                .get("/api/v1/chat/rooms")
                .then()
                .statusCode(200)
                .body("rooms.name", not(hasItem("방 11")));
    }

    @Test
    void badRoomsAreRefusedAsProblems() {
        Chatter owner = Chatters.create(sessions, "박규칙", null, 0);
        owner.api()
                .body(Map.of("name", " "))
                .post("/api/v1/chat/rooms")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("name"));
        owner.api()
                .body(Map.of("name", "x".repeat(61)))
                .post("/api/v1/chat/rooms")
                .then()
                .statusCode(400);
        owner.api()
                .body(Map.of("name", "음수", "minAnnualIncome", -1))
                .post("/api/v1/chat/rooms")
                .then()
                .statusCode(400)
                .body("field", equalTo("minAnnualIncome"));
        owner.api()
                .queryParam("cursor", "garbage!")
                .get("/api/v1/chat/rooms")
                .then()
                .statusCode(400)
                .body("field", equalTo("cursor"));
        owner.api().queryParam("size", 1000).get("/api/v1/chat/rooms").then().statusCode(400);
        owner.api()
                .post("/api/v1/chat/rooms/999999999/members")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void joiningIsRefusedNamingTheUnmetConditionUntilTheUserMeetsIt() {
        Chatter rich = Chatters.create(sessions, "최부자", 300_000_000L, 50_000_000L);
        long roomId = createRoom(
                rich, Map.of("name", "VVIP 라운지", "minAnnualIncome", 200_000_000L, "minLifetimeSpend", 30_000_000L));

        Chatter modest = Chatters.create(sessions, "정보통", 50_000_000L, 0);
        modest.api()
                .post("/api/v1/chat/rooms/" + roomId + "/members")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("extra.condition", equalTo("minAnnualIncome"))
                .body("detail", containsString("200000000"));

        Chatter earner = Chatters.create(sessions, "한고소득", 250_000_000L, 1_000_000L);
        earner.api()
                .post("/api/v1/chat/rooms/" + roomId + "/members")
                .then()
                .statusCode(403)
                .body("extra.condition", equalTo("minLifetimeSpend"));

        Chatter vip = Chatters.create(sessions, "윤단골", 250_000_000L, 40_000_000L);
        vip.api()
                .post("/api/v1/chat/rooms/" + roomId + "/members")
                .then()
                .statusCode(200)
                .body("joined", equalTo(true))
                .body("memberCount", equalTo(2));
        // joining twice changes nothing
        vip.api()
                .post("/api/v1/chat/rooms/" + roomId + "/members")
                .then()
                .statusCode(200)
                .body("memberCount", equalTo(2));

        vip.api().delete("/api/v1/chat/rooms/" + roomId + "/members/me").then().statusCode(204);
        vip.api().delete("/api/v1/chat/rooms/" + roomId + "/members/me").then().statusCode(204);
        vip.api().get("/api/v1/chat/rooms/" + roomId + "/messages").then().statusCode(403);
        rich.api()
                .queryParam("q", "VVIP")
                .get("/api/v1/chat/rooms")
                .then()
                .body("rooms.find { it.id == " + roomId + " }.memberCount", equalTo(1));
    }

    @Test
    void historyIsForMembersNewestFirstAndAMessageIsDeletedOnlyByItsSender() {
        Chatter alice = Chatters.create(sessions, "앨리스", null, 0);
        Chatter bob = Chatters.create(sessions, "밥", null, 0);
        long roomId = createRoom(alice, Map.of("name", "시계 이야기"));
        bob.api().post("/api/v1/chat/rooms/" + roomId + "/members").then().statusCode(200);

        try (ChatClient client = ChatClient.connect(vertx, base, alice.session())) {
            for (int i = 1; i <= 5; i++) {
                String clientMsgId = "h-" + i;
                client.send(roomId, clientMsgId, "메시지 " + i);
                client.await("ack", frame -> clientMsgId.equals(frame.getString("clientMsgId")));
            }
        }

        Chatter stranger = Chatters.create(sessions, "낯선이", null, 0);
        stranger.api()
                .get("/api/v1/chat/rooms/" + roomId + "/messages")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        bob.api().get("/api/v1/chat/rooms/999999999/messages").then().statusCode(404);

        List<Integer> firstPage = bob.api()
                .queryParam("size", 3)
                .get("/api/v1/chat/rooms/" + roomId + "/messages")
                .then()
                .statusCode(200)
                .body("messages.content", contains("메시지 5", "메시지 4", "메시지 3"))
                .body("messages[0].senderName", equalTo("앨리스"))
                .body("nextBefore", notNullValue())
                .extract()
                .path("messages.messageId");
        int nextBefore = bob.api()
                .queryParam("size", 3)
                .get("/api/v1/chat/rooms/" + roomId + "/messages")
                .then()
                .extract()
                .path("nextBefore");
        bob.api()
                .queryParam("size", 3)
                .queryParam("before", nextBefore)
                .get("/api/v1/chat/rooms/" + roomId + "/messages")
                .then()
                .statusCode(200)
                .body("messages.content", contains("메시지 2", "메시지 1"))
                .body("nextBefore", nullValue());

        long newest = firstPage.get(0);
        bob.api()
                .delete("/api/v1/chat/rooms/" + roomId + "/messages/" + newest)
                .then()
                .statusCode(403);
        alice.api()
                .delete("/api/v1/chat/rooms/" + roomId + "/messages/" + newest)
                .then()
                .statusCode(204);
        alice.api()
                .delete("/api/v1/chat/rooms/" + roomId + "/messages/" + newest)
                .then()
                .statusCode(204);
        alice.api()
                .delete("/api/v1/chat/rooms/" + roomId + "/messages/999999999")
                .then()
                .statusCode(404);
        bob.api()
                .queryParam("size", 1)
                .get("/api/v1/chat/rooms/" + roomId + "/messages")
                .then()
                .body("messages[0].deleted", equalTo(true))
                .body("messages[0].content", nullValue());

        // bob has read nothing: four unread (the deleted one no longer counts), the last message shown as deleted
        bob.api()
                .get("/api/v1/chat/rooms/mine")
                .then()
                .statusCode(200)
                .body("find { it.room.id == " + roomId + " }.unread", equalTo(4))
                .body("find { it.room.id == " + roomId + " }.lastMessage.deleted", equalTo(true));
    }

    private static long createRoom(Chatter owner, Map<String, Object> body) {
        int id = owner.api()
                .body(body)
                .post("/api/v1/chat/rooms")
                .then()
                .statusCode(201)
                .contentType(ContentType.JSON)
                .body("joined", equalTo(true))
                .extract()
                .path("id");
        assertEquals(true, id > 0);
        return id;
    }
}
