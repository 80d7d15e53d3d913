package com.sansam.chat;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sansam.chat.support.ChatClient;
import com.sansam.chat.support.GatewayProcess;
import com.sansam.chat.support.RedisSessions;
import com.sansam.messages.Messages;
import com.sansam.messages.UserEvents;
import com.sansam.runtime.testing.TestBroker;
import com.sansam.runtime.testing.TestOtlpReceiver;
import com.sansam.runtime.testing.TestOtlpReceiver.ExportedSpan;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two packaged gateway replicas in one run: users connected to different replicas chat with each other,
 * read receipts and badges cross over, and a user's tabs on both replicas stay in step (fan-out through Redis).
 */
class CrossReplicaIT {

    private static GatewayProcess replicaA;
    private static GatewayProcess replicaB;
    private static Vertx vertx;

    @BeforeAll
    static void startReplicas() {
        replicaA = GatewayProcess.start("a", true);
        replicaB = GatewayProcess.start("b", false);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopReplicas() {
        if (vertx != null) {
            vertx.close();
        }
        if (replicaB != null) {
            replicaB.close();
        }
        if (replicaA != null) {
            replicaA.close();
        }
    }

    @Test
    void membersOnDifferentReplicasChatReadAndDelete() throws Exception {
        long alice = 7_000_001L;
        long bob = 7_000_002L;
        registerUsers(Map.of(alice, "앨리스", bob, "밥"));
        String aliceSession = RedisSessions.create(alice);
        String bobSession = RedisSessions.create(bob);
        String bobOtherTab = RedisSessions.create(bob);

        int roomId = RestAssured.given()
                .baseUri(replicaA.baseUri().toString())
                .cookie("SESSION", aliceSession)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "두 레플리카 방"))
                .post("/api/v1/chat/rooms")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        RestAssured.given()
                .baseUri(replicaB.baseUri().toString())
                .cookie("SESSION", bobSession)
                .post("/api/v1/chat/rooms/" + roomId + "/members")
                .then()
                .statusCode(200);

        try (ChatClient aliceOnA = ChatClient.connect(vertx, replicaA.baseUri(), aliceSession);
                ChatClient bobOnB = ChatClient.connect(vertx, replicaB.baseUri(), bobSession);
                ChatClient bobOnA = ChatClient.connect(vertx, replicaA.baseUri(), bobOtherTab)) {
            aliceOnA.send(roomId, "x-1", "B에 있는 밥에게");
            long messageId = aliceOnA.await("ack", f -> "x-1".equals(f.getString("clientMsgId")))
                    .getLong("messageId");
            // one send is one trace across the replicas: A's send span, and each replica's delivery as its child
            ExportedSpan send = TestOtlpReceiver.awaitSpan(s -> s.instance().equals("gateway-a")
                    && s.name().equals("chat send")
                    && "x-1".equals(s.attributes().get("sansam.client_msg_id")));
            for (String replica : List.of("gateway-a", "gateway-b")) {
                TestOtlpReceiver.awaitSpan(s -> s.instance().equals(replica)
                        && s.kind().equals("SPAN_KIND_CONSUMER")
                        && s.traceId().equals(send.traceId())
                        && s.parentSpanId().equals(send.spanId()));
            }
            JsonObject onB = bobOnB.await("message", f -> f.getLong("messageId") == messageId);
            assertEquals("앨리스", onB.getString("senderName"));
            bobOnA.await("message", f -> f.getLong("messageId") == messageId);
            bobOnB.await("badge", f -> f.getInteger("totalUnread") == 1);
            bobOnA.await("badge", f -> f.getInteger("totalUnread") == 1);

            bobOnB.read(roomId, messageId);
            aliceOnA.await("read", f -> f.getLong("userId") == bob && f.getLong("messageId") == messageId);
            bobOnA.await("badge", f -> f.getInteger("totalUnread") == 0);

            bobOnB.send(roomId, "y-1", "A에 있는 앨리스에게");
            long reply = bobOnB.await("ack", f -> "y-1".equals(f.getString("clientMsgId")))
                    .getLong("messageId");
            aliceOnA.await("message", f -> f.getLong("messageId") == reply && f.getLong("senderId") == bob);
            aliceOnA.await("badge", f -> f.getInteger("totalUnread") == 1);

            RestAssured.given()
                    .baseUri(replicaB.baseUri().toString())
                    .cookie("SESSION", aliceSession)
                    .delete("/api/v1/chat/rooms/" + roomId + "/messages/" + messageId)
                    .then()
                    .statusCode(204);
            bobOnB.await("deleted", f -> f.getLong("messageId") == messageId);
            bobOnA.await("deleted", f -> f.getLong("messageId") == messageId);
        }
        RestAssured.given()
                .baseUri(replicaB.baseUri().toString())
                .cookie("SESSION", bobSession)
                .get("/api/v1/chat/rooms/" + roomId + "/messages")
                .then()
                .statusCode(200)
                .body("messages.size()", equalTo(2))
                .body("messages[1].deleted", equalTo(true));
    }

    private static void registerUsers(Map<Long, String> users) throws SQLException {
        try (TestBroker broker = new TestBroker(GatewayProcess.VHOST)) {
            users.forEach((id, name) -> broker.publish(
                    Messages.USER_EVENTS_EXCHANGE,
                    "user",
                    Long.toString(id),
                    new UserEvents.UserRegistered(id, name, null)));
        }
        String url = "jdbc:"
                + System.getenv().getOrDefault("DB_E2E_CHAT_URL", "postgresql://127.0.0.1:5432/sansam_e2e_chat");
        try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try (ResultSet rows = db.createStatement()
                        .executeQuery("select count(*) from chat_user where user_id in ("
                                + String.join(
                                        ",",
                                        users.keySet().stream()
                                                .map(String::valueOf)
                                                .toList()) + ")")) {
                    rows.next();
                    return rows.getInt(1) == users.size();
                }
            });
        }
    }
}
