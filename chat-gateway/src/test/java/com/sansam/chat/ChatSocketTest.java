package com.sansam.chat;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.chat.support.ChatClient;
import com.sansam.chat.support.Chatters;
import com.sansam.chat.support.Chatters.Chatter;
import com.sansam.messages.ChatEvents;
import com.sansam.messages.Messages;
import com.sansam.messages.UserEvents;
import com.sansam.runtime.session.SessionStore;
import com.sansam.runtime.testing.CleanRedis;
import com.sansam.runtime.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The realtime chat over real WebSockets, real Redis sessions and fan-out, and the real database. */
@QuarkusTest
@QuarkusTestResource(value = CleanRedis.class, restrictToAnnotatedClass = false)
class ChatSocketTest {

    @Inject
    SessionStore sessions;

    @Inject
    Vertx vertx;

    @Inject
    com.sansam.chat.realtime.hub.Presence presence;

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @TestHTTPResource
    URI base;

    @Test
    void theHandshakeIsRefusedWithoutALiveSession() {
        IllegalStateException noCookie =
                assertThrows(IllegalStateException.class, () -> ChatClient.connect(vertx, base, null));
        assertEquals(401, rejected(noCookie).getStatus());

        Chatter user = Chatters.create(sessions, "로그아웃", null, 0);
        sessions.revoke(user.id(), user.session()).await().atMost(Duration.ofSeconds(5));
        IllegalStateException ended =
                assertThrows(IllegalStateException.class, () -> ChatClient.connect(vertx, base, user.session()));
        assertEquals(401, rejected(ended).getStatus());
    }

    @Test
    void aHandshakeFromAnotherSiteIsRefused() {
        Chatter user = Chatters.create(sessions, "오리진", null, 0);
        IllegalStateException crossSite = assertThrows(
                IllegalStateException.class,
                () -> ChatClient.connect(vertx, base, user.session(), "https://evil.example"));
        assertEquals(403, rejected(crossSite).getStatus());
        // the shop's own origins are fine
        ChatClient.connect(vertx, base, user.session(), "http://localhost:8080").close();
        ChatClient.connect(vertx, base, user.session(), "http://" + base.getHost() + ":" + base.getPort())
                .close();
    }

    @Test
    void sendingFasterThanTheLimitAnswersRateLimitedFrames() {
        Chatter user = Chatters.create(sessions, "수다쟁이", null, 0);
        long roomId = room(user, "수다 방");
        try (ChatClient client = ChatClient.connect(vertx, base, user.session())) {
            for (int i = 1; i <= 30; i++) {
                client.send(roomId, "m-" + i, "메시지 " + i);
            }
            for (int i = 1; i <= 30; i++) {
                String id = "m-" + i;
                client.await("ack", f -> id.equals(f.getString("clientMsgId")));
            }
            client.send(roomId, "m-31", "하나 더");
            client.await(
                    "error",
                    f -> "m-31".equals(f.getString("clientMsgId")) && "rate_limited".equals(f.getString("code")));
        }
        user.api()
                .get("/api/v1/chat/rooms/" + roomId + "/messages?size=100")
                .then()
                .statusCode(200)
                .body("messages.size()", equalTo(30));
    }

    @Test
    void anOversizedFrameClosesTheConnection() {
        Chatter user = Chatters.create(sessions, "큰프레임", null, 0);
        try (ChatClient client = ChatClient.connect(vertx, base, user.session())) {
            client.send(1, "big", "가".repeat(20_000)); // 60 KB, the limit is 16 KB
            await().atMost(Duration.ofSeconds(10)).until(() -> client.closeCode() != null);
        }
    }

    @Test
    void aResendRacingItsOriginalIsAnsweredWithTheOneMessageStored() {
        Chatter alice = Chatters.create(sessions, "앨리스", null, 0);
        Chatter bob = Chatters.create(sessions, "밥", null, 0);
        long roomId = room(alice, "동시 전송");
        join(bob, roomId);
        // two tabs of one sender send the same clientMsgId at the same moment: both are answered with the one
        // message stored, whichever waited for the other (10 races: the sender's limit is 30 sends in 10 s)
        try (ChatClient a = ChatClient.connect(vertx, base, alice.session());
                ChatClient a2 = ChatClient.connect(vertx, base, alice.session());
                ChatClient b = ChatClient.connect(vertx, base, bob.session())) {
            for (int i = 0; i < 10; i++) {
                String clientMsgId = "race-" + i;
                a.send(roomId, clientMsgId, "동시에 " + i);
                a2.send(roomId, clientMsgId, "동시에 " + i);
                long first = a.await("ack", f -> clientMsgId.equals(f.getString("clientMsgId")))
                        .getLong("messageId");
                long second = a2.await("ack", f -> clientMsgId.equals(f.getString("clientMsgId")))
                        .getLong("messageId");
                assertEquals(first, second, "one message per clientMsgId");
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> b.frames("message").size() == 10);
            given().cookie("SESSION", bob.session())
                    .get("/api/v1/chat/rooms/" + roomId + "/messages?size=50")
                    .then()
                    .statusCode(200)
                    .body("messages.size()", equalTo(10));
        }
    }

    @Test
    void manySendersInManyRoomsAtOnceAreEachStoredOnceAndDeliveredInIdOrder() {
        // sends that arrive together share a transaction (group commit): refusals and resends inside a batch stay
        // the sender's own, and every room's messages reach its members once each, in id order
        int rooms = 3;
        int members = 4;
        int each = 6;
        List<Chatter> chatters = new java.util.ArrayList<>();
        long[] roomIds = new long[rooms];
        for (int r = 0; r < rooms; r++) {
            for (int m = 0; m < members; m++) {
                chatters.add(Chatters.create(sessions, "손님 " + r + "-" + m, null, 0));
            }
            roomIds[r] = room(chatters.get(r * members), "러시 " + r);
            for (int m = 1; m < members; m++) {
                join(chatters.get(r * members + m), roomIds[r]);
            }
        }
        Chatter intruder = Chatters.create(sessions, "침입자", null, 0);
        List<ChatClient> clients = new java.util.ArrayList<>();
        try (ChatClient stranger = ChatClient.connect(vertx, base, intruder.session())) {
            for (Chatter chatter : chatters) {
                clients.add(ChatClient.connect(vertx, base, chatter.session()));
            }
            for (int i = 0; i < each; i++) {
                for (int c = 0; c < clients.size(); c++) {
                    clients.get(c).send(roomIds[c / members], "burst-" + i, "메시지 " + c + "-" + i);
                }
                stranger.send(roomIds[i % rooms], "sneak-" + i, "몰래");
                clients.get(0).send(roomIds[0], "burst-0", "메시지 0-0"); // a resend, in the middle of the burst
            }
            for (int c = 0; c < clients.size(); c++) {
                ChatClient client = clients.get(c);
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> client.frames("ack").size() >= each);
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> clients.get(0).frames("ack").size() == 2 * each);
            assertEquals(
                    List.of(clients.get(0).frames("ack").get(0).getLong("messageId")),
                    clients.get(0).frames("ack").stream()
                            .filter(f -> "burst-0".equals(f.getString("clientMsgId")))
                            .map(f -> f.getLong("messageId"))
                            .distinct()
                            .toList(),
                    "every resend is answered with the message stored first");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> stranger.frames("error").size() == each);
            assertTrue(stranger.frames("error").stream().allMatch(f -> "forbidden".equals(f.getString("code"))));

            for (int c = 0; c < clients.size(); c++) {
                ChatClient client = clients.get(c);
                long roomId = roomIds[c / members];
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> client.frames("message").size() == members * each);
                List<Long> ids = client.frames("message").stream()
                        .map(f -> f.getLong("messageId"))
                        .toList();
                assertTrue(
                        client.frames("message").stream().allMatch(f -> f.getLong("roomId") == roomId),
                        "own room only");
                assertEquals(ids.stream().sorted().distinct().toList(), ids, "once each, in id order");
            }
            for (int r = 0; r < rooms; r++) {
                given().cookie("SESSION", chatters.get(r * members).session())
                        .get("/api/v1/chat/rooms/" + roomIds[r] + "/messages?size=100")
                        .then()
                        .statusCode(200)
                        .body("messages.size()", equalTo(members * each));
            }
        } finally {
            clients.forEach(ChatClient::close);
        }
    }

    @Test
    void aMessageIsStoredThenAckedAndReachesMembersOnlyOnceEvenWhenResent() {
        Chatter alice = Chatters.create(sessions, "앨리스", null, 0);
        Chatter bob = Chatters.create(sessions, "밥", null, 0);
        Chatter eve = Chatters.create(sessions, "이브", null, 0);
        long roomId = room(alice, "가방 이야기");
        join(bob, roomId);
        long otherRoom = room(eve, "엿보기");

        try (ChatClient a = ChatClient.connect(vertx, base, alice.session());
                ChatClient b = ChatClient.connect(vertx, base, bob.session());
                ChatClient e = ChatClient.connect(vertx, base, eve.session())) {
            a.send(roomId, "c-1", "켈리 25 실물 보신 분?");
            JsonObject ack = a.await("ack", f -> "c-1".equals(f.getString("clientMsgId")));
            long messageId = ack.getLong("messageId");
            assertNotNull(ack.getString("sentAt"));

            JsonObject delivered = b.await("message", f -> f.getLong("messageId") == messageId);
            assertEquals(roomId, delivered.getLong("roomId"));
            assertEquals(alice.id(), delivered.getLong("senderId"));
            assertEquals("앨리스", delivered.getString("senderName"));
            assertEquals("켈리 25 실물 보신 분?", delivered.getString("content"));
            b.await(
                    "badge",
                    f -> f.getInteger("totalUnread") == 1
                            && f.getJsonObject("rooms").getInteger(Long.toString(roomId)) == 1);

            // the same clientMsgId again (a retry after a lost ack): same message id, nothing stored or delivered twice
            a.send(roomId, "c-1", "켈리 25 실물 보신 분?");
            await().atMost(Duration.ofSeconds(10)).until(() -> a.frames("ack").size() == 2);
            assertEquals(messageId, a.frames("ack").get(1).getLong("messageId"));

            // a non-member can neither post there nor receive it
            e.send(roomId, "e-1", "몰래");
            assertEquals(
                    "forbidden",
                    e.await("error", f -> "e-1".equals(f.getString("clientMsgId")))
                            .getString("code"));
            e.send(otherRoom, "e-2", "혼잣말");
            e.await("ack", f -> "e-2".equals(f.getString("clientMsgId")));
            // by the time eve's own later message is delivered to her, alice's would have been too
            e.await("message", f -> f.getLong("roomId") == otherRoom);
            assertTrue(e.frames("message").stream().noneMatch(f -> f.getLong("roomId") == roomId));
            assertEquals(
                    1,
                    b.frames("message").stream()
                            .filter(f -> f.getLong("messageId") == messageId)
                            .count());
        }
        given().cookie("SESSION", bob.session())
                .get("/api/v1/chat/rooms/" + roomId + "/messages")
                .then()
                .statusCode(200)
                .body("messages.size()", equalTo(1));
    }

    /**
     * Another replica stored a message and its fan-out never came (it died between commit and publish): the next
     * message names it as the one before, so this replica reads it from the database and delivers both, in order.
     */
    @Test
    void aMessageWhoseFanOutWasLostIsReadFromTheDatabaseWhenTheNextOneArrives() {
        Chatter alice = Chatters.create(sessions, "앨리스", null, 0);
        Chatter bob = Chatters.create(sessions, "밥", null, 0);
        long roomId = room(alice, "체인");
        join(bob, roomId);
        try (ChatClient a = ChatClient.connect(vertx, base, alice.session());
                ChatClient b = ChatClient.connect(vertx, base, bob.session())) {
            a.send(roomId, "chain-1", "첫 번째");
            long first = a.await("ack", f -> "chain-1".equals(f.getString("clientMsgId")))
                    .getLong("messageId");
            b.await("message", f -> f.getLong("messageId") == first);

            // as the other replica did: stored, the room moved on, nothing published
            long lost = pool.withTransaction(connection -> connection
                            .preparedQuery("""
                            insert into chat_message (room_id, sender_id, client_msg_id, content, sent_at)
                            values ($1, $2, 'chain-2', '다른 복제본에서', now()) returning id""")
                            .execute(io.vertx.mutiny.sqlclient.Tuple.of(roomId, alice.id()))
                            .map(rows -> rows.iterator().next().getLong(0))
                            .call(id -> connection
                                    .preparedQuery("update chat_room set last_message_id = $2 where id = $1")
                                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(roomId, id))))
                    .await()
                    .atMost(Duration.ofSeconds(10));

            a.send(roomId, "chain-3", "세 번째");
            long third = a.await("ack", f -> "chain-3".equals(f.getString("clientMsgId")))
                    .getLong("messageId");
            b.await("message", f -> f.getLong("messageId") == third);
            List<Long> seen = b.frames("message").stream()
                    .map(f -> f.getLong("messageId"))
                    .toList();
            assertEquals(List.of(first, lost, third), seen);
            assertEquals("다른 복제본에서", b.frames("message").get(1).getString("content"));

            // lost, and deleted since: nothing to show of it, the next message still comes
            pool.withTransaction(connection -> connection
                            .preparedQuery("""
                            insert into chat_message (room_id, sender_id, client_msg_id, content, sent_at, deleted_at)
                            values ($1, $2, 'chain-4', '지운 메시지', now(), now()) returning id""")
                            .execute(io.vertx.mutiny.sqlclient.Tuple.of(roomId, alice.id()))
                            .map(rows -> rows.iterator().next().getLong(0))
                            .call(id -> connection
                                    .preparedQuery("update chat_room set last_message_id = $2 where id = $1")
                                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(roomId, id))))
                    .await()
                    .atMost(Duration.ofSeconds(10));
            a.send(roomId, "chain-5", "다섯 번째");
            long fifth = a.await("ack", f -> "chain-5".equals(f.getString("clientMsgId")))
                    .getLong("messageId");
            b.await("message", f -> f.getLong("messageId") == fifth);
            assertEquals(
                    List.of(first, lost, third, fifth),
                    b.frames("message").stream()
                            .map(f -> f.getLong("messageId"))
                            .toList());
        }
    }

    @Test
    void badFramesAnswerErrorsAndTheConnectionStaysUsable() {
        Chatter user = Chatters.create(sessions, "실수쟁이", null, 0);
        long roomId = room(user, "실수 방");
        try (ChatClient client = ChatClient.connect(vertx, base, user.session())) {
            client.send(new JsonObject().put("hello", "world"));
            client.await("error", f -> "bad_request".equals(f.getString("code")));
            client.send(roomId, "long", "가".repeat(1001));
            client.await(
                    "error",
                    f -> "long".equals(f.getString("clientMsgId")) && "bad_request".equals(f.getString("code")));
            client.send(999_999_999L, "nowhere", "안녕");
            client.await(
                    "error",
                    f -> "nowhere".equals(f.getString("clientMsgId")) && "not_found".equals(f.getString("code")));
            // any JSON value as a frame, and text holding a NUL: an error frame each, never a closed connection
            int errors = client.frames("error").size();
            List<String> odd = List.of(
                    "null",
                    "42",
                    "[]",
                    "\"send\"",
                    "true",
                    "{\"type\":\"send\",\"roomId\":" + roomId + ",\"clientMsgId\":\"nul\",\"content\":\"a\\u0000b\"}");
            odd.forEach(client::sendRaw);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.frames("error").size() == errors + odd.size());
            client.send(roomId, "fine", "이제 됐다");
            client.await("ack", f -> "fine".equals(f.getString("clientMsgId")));
        }
    }

    @Test
    void resumeReplaysWhatAReconnectingClientMissedInOrder() {
        Chatter alice = Chatters.create(sessions, "앨리스2", null, 0);
        Chatter bob = Chatters.create(sessions, "밥2", null, 0);
        long roomId = room(alice, "재접속 방");
        join(bob, roomId);
        long lastSeen;
        try (ChatClient a = ChatClient.connect(vertx, base, alice.session());
                ChatClient b = ChatClient.connect(vertx, base, bob.session())) {
            a.send(roomId, "r-0", "처음");
            lastSeen =
                    b.await("message", f -> "처음".equals(f.getString("content"))).getLong("messageId");
        }
        try (ChatClient a = ChatClient.connect(vertx, base, alice.session())) {
            for (int i = 1; i <= 3; i++) {
                String id = "r-" + i;
                a.send(roomId, id, "놓친 " + i);
                a.await("ack", f -> id.equals(f.getString("clientMsgId")));
            }
        }
        try (ChatClient b = ChatClient.connect(vertx, base, bob.session())) {
            // delivered is not read: bob never sent a read mark, so all four are unread
            assertEquals(4, b.lastBadge().getJsonObject("rooms").getInteger(Long.toString(roomId)));
            b.resume(roomId, lastSeen);
            b.await("message", f -> "놓친 3".equals(f.getString("content")));
            List<String> replayed = b.frames("message").stream()
                    .map(f -> f.getString("content"))
                    .toList();
            assertEquals(List.of("놓친 1", "놓친 2", "놓친 3"), replayed);
            List<Long> ids = b.frames("message").stream()
                    .map(f -> f.getLong("messageId"))
                    .toList();
            assertTrue(ids.get(0) < ids.get(1) && ids.get(1) < ids.get(2));
        }
    }

    @Test
    void readReceiptsMoveForwardOnlyAndBadgesReachEveryTabOfTheReader() {
        Chatter alice = Chatters.create(sessions, "앨리스3", null, 0);
        Chatter bob = Chatters.create(sessions, "밥3", null, 0);
        long roomId = room(alice, "읽음 확인 방");
        join(bob, roomId);
        String bobSecondSession = sessions.create(bob.id(), com.sansam.runtime.session.Role.USER)
                .await()
                .atMost(Duration.ofSeconds(5));
        try (ChatClient a = ChatClient.connect(vertx, base, alice.session());
                ChatClient bobTab1 = ChatClient.connect(vertx, base, bob.session());
                ChatClient bobTab2 = ChatClient.connect(vertx, base, bobSecondSession)) {
            long first = 0;
            long second = 0;
            for (int i = 1; i <= 2; i++) {
                String id = "m-" + i;
                a.send(roomId, id, "읽어 주세요 " + i);
                long messageId = a.await("ack", f -> id.equals(f.getString("clientMsgId")))
                        .getLong("messageId");
                if (i == 1) {
                    first = messageId;
                } else {
                    second = messageId;
                }
            }
            bobTab2.await("badge", f -> f.getInteger("totalUnread") == 2);

            bobTab1.read(roomId, second);
            long read = second;
            JsonObject receipt =
                    a.await("read", f -> f.getLong("userId") == bob.id() && f.getLong("messageId") == read);
            assertEquals(roomId, receipt.getLong("roomId"));
            bobTab1.await("badge", f -> f.getInteger("totalUnread") == 0);
            bobTab2.await("badge", f -> f.getInteger("totalUnread") == 0);

            // an older read mark does not move it back
            bobTab2.read(roomId, first);
            bobTab2.read(roomId, second);
            bobTab2.send(roomId, "sync", "다 읽었어요");
            bobTab2.await("ack", f -> "sync".equals(f.getString("clientMsgId")));
            assertEquals(
                    1,
                    a.frames("read").stream()
                            .filter(f -> f.getLong("userId") == bob.id())
                            .count());
            given().cookie("SESSION", bob.session())
                    .get("/api/v1/chat/rooms/mine")
                    .then()
                    .body("find { it.room.id == " + roomId + " }.unread", equalTo(0));
        }
    }

    @Test
    void aDeletedMessageIsShownAsDeletedAndLeavesTheBadge() {
        Chatter alice = Chatters.create(sessions, "앨리스4", null, 0);
        Chatter bob = Chatters.create(sessions, "밥4", null, 0);
        long roomId = room(alice, "삭제 방");
        join(bob, roomId);
        try (ChatClient a = ChatClient.connect(vertx, base, alice.session());
                ChatClient b = ChatClient.connect(vertx, base, bob.session())) {
            a.send(roomId, "oops", "잘못 보냄");
            long messageId = a.await("ack", f -> "oops".equals(f.getString("clientMsgId")))
                    .getLong("messageId");
            b.await("badge", f -> f.getInteger("totalUnread") == 1);
            given().cookie("SESSION", alice.session())
                    .delete("/api/v1/chat/rooms/" + roomId + "/messages/" + messageId)
                    .then()
                    .statusCode(204);
            b.await("deleted", f -> f.getLong("messageId") == messageId && f.getLong("roomId") == roomId);
            b.await("badge", f -> f.getInteger("totalUnread") == 0);
        }
    }

    @Test
    void aWithdrawnUserIsRemovedFromEveryRoomAndDisconnected() {
        Chatter alice = Chatters.create(sessions, "앨리스5", null, 0);
        Chatter leaver = Chatters.create(sessions, "탈퇴자", null, 0);
        long roomId = room(alice, "탈퇴 방");
        join(leaver, roomId);
        try (ChatClient client = ChatClient.connect(vertx, base, leaver.session());
                TestBroker broker = new TestBroker()) {
            broker.publish(
                    Messages.USER_EVENTS_EXCHANGE,
                    "user",
                    Long.toString(leaver.id()),
                    new UserEvents.UserWithdrawn(leaver.id()));
            await().atMost(Duration.ofSeconds(20)).until(() -> client.closeCode() != null);
            assertEquals((short) 1008, client.closeCode());
        }
        given().cookie("SESSION", alice.session())
                .queryParam("q", "탈퇴 방")
                .get("/api/v1/chat/rooms")
                .then()
                .body("rooms.find { it.id == " + roomId + " }.memberCount", equalTo(1));
        // the session itself is still in Redis here (commerce-api revokes it); the gateway refuses it anyway
        IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> ChatClient.connect(vertx, base, leaver.session()));
        assertNotNull(refused);
    }

    @Test
    void aConnectionIsClosedAtOnceWhenItsSessionEnds() { // the periodic recheck is 60 s in tests
        Chatter user = Chatters.create(sessions, "세션종료", null, 0);
        try (ChatClient client = ChatClient.connect(vertx, base, user.session())) {
            sessions.revoke(user.id(), user.session()).await().atMost(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.closeCode() != null);
            assertEquals((short) 1008, client.closeCode());
        }
    }

    @Test
    void aMemberConnectedNowhereIsToldOfUnreadMessagesOnceUntilTheyRead() {
        Chatter alice = Chatters.create(sessions, "앨리스6", null, 0);
        Chatter bob = Chatters.create(sessions, "밥6", null, 0);
        Chatter carol = Chatters.create(sessions, "캐럴6", null, 0);
        long roomId = room(alice, "부재중 알림 방");
        join(bob, roomId);
        join(carol, roomId);
        try (TestBroker broker = new TestBroker();
                TestBroker.Tap chatEvents = broker.tap(Messages.CHAT_EVENTS_EXCHANGE);
                ChatClient a = ChatClient.connect(vertx, base, alice.session());
                ChatClient c = ChatClient.connect(vertx, base, carol.session())) {
            a.send(roomId, "o-1", "밥 있어요?");
            a.await("ack", f -> "o-1".equals(f.getString("clientMsgId")));
            a.send(roomId, "o-2", "밥?");
            long second = a.await("ack", f -> "o-2".equals(f.getString("clientMsgId")))
                    .getLong("messageId");
            var told = chatEvents.await(
                    "ChatMessageUnread", e -> e.aggregateId().equals(Long.toString(roomId)), 1, Duration.ofSeconds(20));
            ChatEvents.ChatMessageUnread unread = Messages.payload(told.get(0), ChatEvents.ChatMessageUnread.class);
            assertEquals(bob.id(), unread.userId()); // carol is connected: not told
            assertEquals("부재중 알림 방", unread.roomName());
            assertEquals("앨리스6", unread.senderName());

            // bob reads from a connection and goes away again: the next message tells him again, once
            try (ChatClient b = ChatClient.connect(vertx, base, bob.session())) {
                b.read(roomId, second);
                a.await("read", f -> f.getLong("userId") == bob.id());
            }
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> presence.offlineAmong(List.of(bob.id()))
                            .await()
                            .atMost(Duration.ofSeconds(2))
                            .contains(bob.id()));
            a.send(roomId, "o-3", "이제 봤죠?");
            a.await("ack", f -> "o-3".equals(f.getString("clientMsgId")));
            chatEvents.await(
                    "ChatMessageUnread", e -> e.aggregateId().equals(Long.toString(roomId)), 2, Duration.ofSeconds(20));
            await().pollDelay(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(4))
                    .until(() -> chatEvents
                                    .ofType(
                                            "ChatMessageUnread",
                                            e -> e.aggregateId().equals(Long.toString(roomId)))
                                    .size()
                            == 2);
        }
    }

    private static long room(Chatter owner, String name) {
        return owner.api()
                .body(Map.of("name", name))
                .post("/api/v1/chat/rooms")
                .then()
                .statusCode(201)
                .extract()
                .<Integer>path("id");
    }

    private static void join(Chatter user, long roomId) {
        user.api().post("/api/v1/chat/rooms/" + roomId + "/members").then().statusCode(200);
    }

    private static UpgradeRejectedException rejected(IllegalStateException failure) {
        Throwable cause = failure.getCause();
        while (cause != null && !(cause instanceof UpgradeRejectedException)) {
            cause = cause.getCause();
        }
        return assertInstanceOf(UpgradeRejectedException.class, cause, "expected a refused upgrade, got " + failure);
    }
}
