package com.sansam.commerce.storefront;

import static com.sansam.commerce.support.Api.PASSWORD;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.login;
import static com.sansam.commerce.support.Api.signup;
import static com.sansam.commerce.support.Api.uniqueEmail;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.sansam.commerce.support.Chromium;
import com.sansam.runtime.testing.PackagedService;
import com.sansam.runtime.testing.TestBroker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Open chat in the storefront, two shoppers in two Chromium browsers, with the real, packaged chat-gateway on another
 * port of the same host (as in the local run: CORS and the WebSocket Origin check admit exactly the storefront). The
 * gateway learns the shoppers from commerce-api's user events, as in production.
 */
@QuarkusTest
class StorefrontChatBrowserTest {

    /** The port the storefront is told ({@code %test.sansam.storefront.chat-url}). */
    private static final int GATEWAY_PORT = 18181;

    private static final PackagedService GATEWAY = new PackagedService("chat-gateway", GATEWAY_PORT);

    private static WebDriver alice;
    private static WebDriver bob;

    @BeforeAll
    static void start() {
        try (TestBroker broker = new TestBroker()) {
            broker.purge("chat-gateway.user-events"); // users of earlier tests and runs: not this test's business
        } catch (IllegalStateException notDeclaredYet) {
            // the gateway declares it on start
        }
        // the storefront's origins: this test's commerce-api (RestAssured's port is set only once the tests run)
        int port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.test-port", Integer.class)
                .orElse(8081);
        String shop = "http://localhost:" + port + ",http://127.0.0.1:" + port;
        GATEWAY.start(Map.of(
                "DB_URL", "postgresql://127.0.0.1:5432/sansam_e2e_chat",
                "REDIS_URL", "redis://127.0.0.1:6379/1",
                "RABBITMQ_VHOST", "sansam_test",
                "QUARKUS_FLYWAY_CLEAN_DISABLED", "false",
                "QUARKUS_FLYWAY_CLEAN_AT_START", "true",
                "CHAT_FANOUT_CHANNEL", "sansam:chat:fanout:storefront-test",
                "CHAT_ALLOWED_ORIGINS", shop,
                // the test polls room creation until the gateway has learnt Alice's income: not a limit test
                "CHAT_ROOM_LIMIT", "1000"));
        alice = Chromium.open();
        bob = Chromium.open();
    }

    @AfterAll
    static void stop() {
        for (WebDriver browser : new WebDriver[] {alice, bob}) {
            if (browser != null) {
                browser.quit();
            }
        }
        GATEWAY.kill();
    }

    @Test
    void twoShoppersChatWithReadReceiptsAndBadgesAndAnUnmetConditionIsExplained() {
        String aliceEmail = uniqueEmail();
        signup(aliceEmail);
        String aliceSession = login(aliceEmail, PASSWORD);
        as(aliceSession)
                .body(Map.of("annualIncome", 150_000_000))
                .patch("/api/v1/users/me")
                .then()
                .statusCode(200);
        String bobEmail = uniqueEmail();
        signup(bobEmail);
        String bobSession = login(bobEmail, PASSWORD);

        // A room for high earners: the gateway has Alice's income once her events arrived.
        String lounge = "VIP 라운지 " + System.nanoTime();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().cookie("SESSION", aliceSession)
                        .contentType("application/json")
                        .body(Map.of("name", lounge, "minAnnualIncome", 100_000_000))
                        .post(gateway("/api/v1/chat/rooms"))
                        .then()
                        .statusCode(201));
        try {
            loggedIn(alice, aliceSession);
            loggedIn(bob, bobSession);
            WebDriverWait aliceWaits = com.sansam.commerce.support.Chromium.waiting(alice, Duration.ofSeconds(20));
            WebDriverWait bobWaits = com.sansam.commerce.support.Chromium.waiting(bob, Duration.ofSeconds(20));

            // Alice opens a room for everyone from the storefront.
            String room = "토트 이야기 " + System.nanoTime();
            alice.get(shop() + "#/chat");
            type(aliceWaits, By.id("room-name"), room);
            org.junit.jupiter.api.Assertions.assertEquals(
                    java.util.List.of(),
                    StorefrontBrowserTest.unlabelledFields(alice),
                    "every field of the chat page has a label");
            alice.findElement(By.cssSelector("#new-room button[type=submit]")).click();
            aliceWaits.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), room));
            aliceWaits.until(ExpectedConditions.visibilityOfElementLocated(By.id("message-content")));
            org.junit.jupiter.api.Assertions.assertEquals(
                    java.util.List.of(),
                    StorefrontBrowserTest.unlabelledFields(alice),
                    "every field of the chat room page has a label");

            // Bob finds the lounge, is refused in words naming the condition, then joins the open room.
            bob.get(shop() + "#/chat?q=" + java.net.URLEncoder.encode("라운지", java.nio.charset.StandardCharsets.UTF_8));
            bobWaits.until(ExpectedConditions.elementToBeClickable(By.linkText(lounge)))
                    .click();
            bobWaits.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#join button")))
                    .click();
            bobWaits.until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector("#join .form-error"),
                    "연 소득 100,000,000원 이상인 회원만 참여할 수 있습니다. (내 정보에 직접 입력한 연 소득을 기준으로 하며, 따로 확인하지 않습니다.)"));
            Chromium.screenshot(bob, "chat-condition-unmet");
            bob.get(shop() + "#/chat?q="
                    + java.net.URLEncoder.encode("토트 이야기", java.nio.charset.StandardCharsets.UTF_8));
            bobWaits.until(ExpectedConditions.elementToBeClickable(By.linkText(room)))
                    .click();
            bobWaits.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#join button")))
                    .click();
            bobWaits.until(ExpectedConditions.visibilityOfElementLocated(By.id("message-content")));
            bobWaits.until(ExpectedConditions.textToBe(By.id("link-state"), ""));

            // Alice writes; Bob, in the room, sees it live and has read it: Alice sees the receipt.
            send(aliceWaits, "안녕하세요, 새 토트 보셨어요?");
            bobWaits.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "안녕하세요, 새 토트 보셨어요?"));
            aliceWaits.until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector("#messages li.mine .receipt"), "읽음 1"));
            send(bobWaits, "네, 블랙이 예뻐요");
            aliceWaits.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "네, 블랙이 예뻐요"));
            Chromium.screenshot(alice, "chat-room");
            // Alice deletes her first message: both see it deleted.
            alice.findElement(By.cssSelector("#messages li.mine [data-delete]")).click();
            aliceWaits.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "삭제된 메시지"));
            bobWaits.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "삭제된 메시지"));

            // Bob leaves the room page: Alice's next message is unread for him, shown as badges.
            bob.get(shop() + "#/chat");
            bobWaits.until(ExpectedConditions.visibilityOfElementLocated(By.id("my-rooms")));
            send(aliceWaits, "가방 사진 올릴게요");
            bobWaits.until(ExpectedConditions.textToBe(By.id("chat-count"), "1"));
            bobWaits.until(
                    ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#my-rooms .badge:not([hidden])")));
            Chromium.screenshot(bob, "chat-unread-badge");
            // Opening the room reads it: the badge goes.
            bob.findElement(By.linkText(room)).click();
            bobWaits.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "가방 사진 올릴게요"));
            bobWaits.until(ExpectedConditions.invisibilityOfElementLocated(By.id("chat-count")));
        } catch (RuntimeException | Error failure) {
            System.err.println("alice: " + alice.findElement(By.id("main")).getAttribute("innerHTML"));
            System.err.println("bob: " + bob.findElement(By.id("main")).getAttribute("innerHTML"));
            Chromium.screenshot(alice, "failed-chat-alice");
            Chromium.screenshot(bob, "failed-chat-bob");
            throw failure;
        }
    }

    private static String shop() {
        return RestAssured.baseURI + ":" + RestAssured.port + "/";
    }

    private static String gateway(String path) {
        return GATEWAY.baseUrl() + path;
    }

    /** The shopper's session in the browser, as a login would leave it (one cookie for the host, any port). */
    private static void loggedIn(WebDriver browser, String session) {
        browser.get(shop() + "#/");
        browser.manage()
                .addCookie(new Cookie.Builder("SESSION", session)
                        .path("/")
                        .isHttpOnly(true)
                        .sameSite("Lax")
                        .build());
        browser.navigate().refresh();
        com.sansam.commerce.support.Chromium.waiting(browser, Duration.ofSeconds(20))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-chat")));
    }

    private static void send(WebDriverWait waits, String text) {
        type(waits, By.id("message-content"), text);
        waits.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#send button[type=submit]")))
                .click();
    }

    private static void type(WebDriverWait waits, By field, String text) {
        com.sansam.commerce.support.Chromium.type(waits, field, text);
    }
}
