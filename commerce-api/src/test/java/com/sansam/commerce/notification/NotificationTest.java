package com.sansam.commerce.notification;

import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.problem;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.commerce.support.Api;
import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import com.sansam.commerce.support.Orders;
import com.sansam.commerce.support.TestSmtp;
import com.sansam.messages.ChatEvents;
import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.messages.StockEvents;
import com.sansam.runtime.testing.TestBroker;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Notices in the site and emails over real SMTP (GreenMail), from real payments, cancels and stock events. */
@QuarkusTest
class NotificationTest {

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool database;

    @TestHTTPResource
    URI base;

    private record Shopper(String email, String session) {}

    private static Shopper shopper() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        return new Shopper(email, Api.login(email, Api.PASSWORD));
    }

    @Test
    void paymentAndCancelSendAnEmailAndANoticeEach() throws Exception {
        Created coat = Catalog.product(adminSession(), Catalog.uniqueBrand(), "캐시미어 코트", 4_300_000, 2, "", 1, 2);
        Shopper shopper = shopper();
        MimeMessage welcome = TestSmtp.await(shopper.email(), "가입을 환영합니다");
        assertTrue(TestSmtp.body(welcome).contains("SANSAM"));

        String orderId = Orders.paid(shopper.session(), coat.sku(), 1, 4_300_000);
        MimeMessage paid = TestSmtp.await(shopper.email(), "결제 완료");
        String html = TestSmtp.body(paid);
        assertTrue(html.contains(orderId), html);
        assertTrue(html.contains("4,300,000"), html);
        as(shopper.session())
                .get("/api/v1/notifications")
                .then()
                .statusCode(200)
                .body("notifications.kind", hasItem("PAYMENT_COMPLETED"));

        as(shopper.session())
                .body(Map.of("reason", "사이즈 교환"))
                .post("/api/v1/orders/" + orderId + "/cancel")
                .then()
                .statusCode(200);
        String cancelled = TestSmtp.body(TestSmtp.await(shopper.email(), "결제 취소"));
        assertTrue(cancelled.contains("4,300,000") && cancelled.contains("사이즈 교환"), cancelled);
        as(shopper.session())
                .get("/api/v1/notifications")
                .then()
                .body("notifications.kind", hasItem("PAYMENT_CANCELLED"));
        assertEquals(
                1,
                TestSmtp.to(shopper.email()).stream()
                        .filter(m -> subject(m).contains("결제 완료"))
                        .count());
    }

    @Test
    void aShopperWhoOptedOutGetsNoticesButNoEmail() {
        Created scarf = Catalog.product(adminSession(), Catalog.uniqueBrand(), "트윌 스카프", 480_000, 2, "", 1, 2);
        Shopper shopper = shopper();
        as(shopper.session())
                .body(Map.of("emailOptIn", false))
                .patch("/api/v1/users/me")
                .then()
                .statusCode(200);
        Orders.paid(shopper.session(), scarf.sku(), 1, 480_000);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> as(shopper.session())
                        .get("/api/v1/notifications")
                        .then()
                        .body("notifications.kind", hasItem("PAYMENT_COMPLETED")));
        // the welcome email went out before the opt-out; nothing after it
        await().pollDelay(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertTrue(TestSmtp.to(shopper.email()).stream()
                        .noneMatch(m -> subject(m).contains("결제 완료"))));
    }

    @Test
    void aMailServerOutageDelaysTheEmailButNeverThePayment() {
        Created belt = Catalog.product(adminSession(), Catalog.uniqueBrand(), "레더 벨트", 620_000, 2, "", 1, 2);
        Shopper shopper = shopper();
        TestSmtp.await(shopper.email(), "가입을 환영합니다");
        TestSmtp.stopServer();
        try {
            String orderId = Orders.paid(shopper.session(), belt.sku(), 1, 620_000);
            Orders.awaitStatus(shopper.session(), orderId, "PAID");
        } finally {
            TestSmtp.startServer();
        }
        // retried with backoff (10 s after the first failure) until the server answers again
        TestSmtp.await(shopper.email(), "결제 완료");
    }

    @Test
    void aReviewRequestComesOnceAfterTheConfiguredDelay() {
        Created cap = Catalog.product(adminSession(), Catalog.uniqueBrand(), "울 캡", 210_000, 2, "", 1, 2);
        Shopper shopper = shopper();
        Orders.paid(shopper.session(), cap.sku(), 1, 210_000);
        as(shopper.session())
                .get("/api/v1/notifications")
                .then()
                .body("notifications.kind", not(hasItem("REVIEW_REQUEST")));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> as(shopper.session())
                        .get("/api/v1/notifications")
                        .then()
                        .body("notifications.kind", hasItem("REVIEW_REQUEST")));
        TestSmtp.await(shopper.email(), "마음에 드셨나요");
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<String> kinds = as(shopper.session())
                    .get("/api/v1/notifications")
                    .then()
                    .extract()
                    .path("notifications.kind");
            assertEquals(1, kinds.stream().filter("REVIEW_REQUEST"::equals).count());
        });
    }

    @Test
    void lowStockReachesAdminsOnceAndShoppersHoldingItEvenWhenTheEventIsDeliveredTwice() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "호보 백", 2_900_000, 2, "", 1, 5);
        String sku = bag.sku();
        Shopper holder = shopper();
        as(holder.session())
                .body(Map.of("sku", sku, "quantity", 1))
                .post("/api/v1/cart/items")
                .then()
                .statusCode(201);

        try (TestBroker broker = new TestBroker()) {
            Envelope low = Messages.wrap("sku", sku, new StockEvents.LowStock(sku, 1, 2));
            broker.publish(Messages.STOCK_EVENTS_EXCHANGE, low);
            broker.publish(Messages.STOCK_EVENTS_EXCHANGE, low); // a redelivery
        }
        TestSmtp.await(Api.ADMIN_EMAIL, "재고 부족: " + sku);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> as(holder.session())
                        .get("/api/v1/notifications")
                        .then()
                        .body("notifications.kind", hasItem("RUNNING_LOW")));
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<String> titles = as(admin)
                    .queryParam("size", 100)
                    .get("/api/v1/notifications")
                    .then()
                    .extract()
                    .path("notifications.title");
            assertEquals(1, titles.stream().filter(("재고 부족: " + sku)::equals).count());
            assertEquals(
                    1,
                    TestSmtp.to(Api.ADMIN_EMAIL).stream()
                            .filter(m -> subject(m).contains(sku))
                            .count());
        });
    }

    @Test
    void aBroadcastReachesAnOpenStreamAndNoticesAreReadOneByOneOrAll() throws Exception {
        Shopper shopper = shopper();
        Shopper other = shopper();
        List<String> received = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        var stream = client.sendAsync(
                HttpRequest.newBuilder(base.resolve("/api/v1/notifications/stream"))
                        .header("Cookie", "SESSION=" + shopper.session())
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> {
            try {
                stream.get().body().filter(line -> line.startsWith("data:")).forEach(received::add);
            } catch (Exception ignored) {
                // closed at the end of the test
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> received.stream().anyMatch(line -> line.contains("\"unread\"")));
            as(shopper.session())
                    .body(Map.of("title", "x"))
                    .post("/api/v1/admin/notifications/broadcast")
                    .then()
                    .statusCode(403);
            for (String badLink :
                    List.of("javascript:alert(1)", "//evil.example/x", "/\\evil.example", "data:text/html,x")) {
                problem(
                                as(adminSession())
                                        .body(Map.of("title", "t", "body", "b", "link", badLink))
                                        .post("/api/v1/admin/notifications/broadcast"),
                                400)
                        .then()
                        .body("field", equalTo("link"));
            }
            as(adminSession())
                    .body(Map.of("title", "연말 VIP 초대", "body", "12월 20일 청담 라운지에서 만나요."))
                    .post("/api/v1/admin/notifications/broadcast")
                    .then()
                    .statusCode(200);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> received.stream()
                            .anyMatch(line -> line.contains("\"notice\"") && line.contains("연말 VIP 초대")));

            // The connection that LISTENs for notices is killed (a database failover, a restart): the subscriber
            // reconnects, and a notice made meanwhile still reaches the open stream.
            long killed =
                    database.query("""
                    select count(pg_terminate_backend(pid)) from pg_stat_activity
                    where datname = current_database() and query like 'LISTEN%'""").executeAndAwait().iterator().next().getLong(0);
            assertTrue(killed >= 1, "the LISTEN connection was found");
            as(adminSession())
                    .body(Map.of("title", "재연결 후 공지", "body", "다시 들립니다."))
                    .post("/api/v1/admin/notifications/broadcast")
                    .then()
                    .statusCode(200);
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> received.stream()
                            .anyMatch(line -> line.contains("\"notice\"") && line.contains("재연결 후 공지")));
        } finally {
            stream.cancel(true);
        }

        long unread = as(shopper.session())
                .get("/api/v1/notifications/unread-count")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("unreadCount");
        assertTrue(unread >= 3, "welcome and two broadcasts: " + unread);
        int broadcastId = as(shopper.session())
                .queryParam("unreadFirst", true)
                .get("/api/v1/notifications")
                .then()
                .body("notifications[0].read", equalTo(false))
                .extract()
                .path("notifications.find { it.kind == 'BROADCAST' }.id");
        as(other.session())
                .post("/api/v1/notifications/" + broadcastId + "/read")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        as(shopper.session())
                .post("/api/v1/notifications/" + broadcastId + "/read")
                .then()
                .statusCode(200)
                .body("unreadCount", equalTo((int) unread - 1));
        as(shopper.session())
                .post("/api/v1/notifications/read-all")
                .then()
                .statusCode(200)
                .body("unreadCount", equalTo(0));
        as(shopper.session()).get("/api/v1/notifications").then().body("notifications.read", not(hasItem(false)));
    }

    @Test
    void anUnreadChatMessageForAnOfflineMemberBecomesOneNoticeEvenWhenDeliveredTwice() {
        String email = Api.uniqueEmail();
        long userId = Api.signup(email);
        String session = Api.login(email, Api.PASSWORD);
        try (TestBroker broker = new TestBroker()) {
            Envelope unread =
                    Messages.wrap("room", "42", new ChatEvents.ChatMessageUnread(userId, 42, "시계 애호가", "앨리스", 1001));
            broker.publish(Messages.CHAT_EVENTS_EXCHANGE, unread);
            broker.publish(Messages.CHAT_EVENTS_EXCHANGE, unread);
        }
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> as(session)
                        .get("/api/v1/notifications")
                        .then()
                        .body("notifications.kind", hasItem("CHAT_UNREAD")));
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
            List<String> kinds =
                    as(session).get("/api/v1/notifications").then().extract().path("notifications.kind");
            assertEquals(1, kinds.stream().filter("CHAT_UNREAD"::equals).count());
        });
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            return "";
        }
    }
}
