package com.sansam.commerce.storefront;

import static com.sansam.commerce.support.Api.adminSession;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.commerce.support.Api;
import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import com.sansam.commerce.support.Chromium;
import com.sansam.commerce.support.Deals;
import com.sansam.commerce.support.TestDealClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A waiting room and a draw as a verified buyer sees them in Debian's headless Chromium: joining before the start,
 * the place and the turn arriving live, buying in one's turn; entering a draw, withdrawing, entering again, and the
 * result with its proof after the close. (Deal time moves with {@link TestDealClock}; the browser keeps real time.)
 */
@QuarkusTest
class FairDropsBrowserTest {

    private static WebDriver browser;
    private static WebDriverWait waiting;

    @BeforeAll
    static void openBrowser() {
        browser = Chromium.open();
        waiting = com.sansam.commerce.support.Chromium.waiting(browser, Duration.ofSeconds(20));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @AfterEach
    void realTime() {
        TestDealClock.reset();
    }

    private static String shop() {
        return RestAssured.baseURI + ":" + RestAssured.port + "/";
    }

    /** The browser logged in as a new verified buyer with an address in the profile. */
    private static void asVerifiedBuyer() {
        String session = Api.verifiedBuyerWithAddress();
        browser.manage().deleteAllCookies();
        browser.get(shop() + "#/");
        browser.manage().addCookie(new Cookie("SESSION", session));
        browser.navigate().refresh(); // the page reads who is logged in when it loads
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-me")));
    }

    private static long fairDeal(Created bag, Instant startsAt, Instant endsAt, Map<String, Object> mode) {
        Map<String, Object> body = new HashMap<>(
                Deals.deal(bag.id(), List.of(Deals.dealLine(bag.sku(), 1_500_000, 2)), 1, startsAt, endsAt));
        body.putAll(mode);
        return Deals.open(adminSession(), body);
    }

    @Test
    void aBuyerWaitsInTheQueueAndBuysInTheirTurn() {
        Created bag = Catalog.product(adminSession(), Catalog.uniqueBrand(), "대기열 토트백", 2_000_000, 2, "", 1, 5);
        Instant start = TestDealClock.current().plus(Duration.ofHours(1));
        long dealId = fairDeal(
                bag,
                start,
                start.plus(Duration.ofHours(2)),
                Map.of("mode", "QUEUE", "ratePerSecond", 10, "passTtl", "PT2M", "queueOpensBefore", "PT2H"));
        asVerifiedBuyer();
        browser.get(shop() + "#/deals/" + dealId);
        WebElement join = waiting.until(ExpectedConditions.elementToBeClickable(By.id("queue-join")));
        assertTrue(browser.findElement(By.cssSelector("#deal-form button[type=submit]"))
                        .getAttribute("disabled")
                != null);
        join.click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("queue-status"), "오픈 전 대기 중"));
        Chromium.screenshot(browser, "queue-pre");

        TestDealClock.advance(Duration.ofMinutes(61)); // the start: shuffled, let in, told live
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("queue-status"), "내 차례입니다"));
        WebElement buy = waiting.until(
                ExpectedConditions.elementToBeClickable(By.cssSelector("#deal-form button[type=submit]")));
        Chromium.screenshot(browser, "queue-turn");
        type(By.id("deal-zipCode"), "06000");
        type(By.id("deal-address1"), "서울 강남구 압구정로 1");
        buy.click();
        waiting.until(ExpectedConditions.attributeToBe(By.id("order-status"), "data-status", "STOCK_RESERVED"));
        browser.get(shop() + "#/deals/" + dealId);
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("queue-status"), "주문하셨습니다"));
    }

    @Test
    void aBuyerEntersADrawWithdrawsEntersAgainAndSeesTheResultAndItsProof() {
        Created bag = Catalog.product(adminSession(), Catalog.uniqueBrand(), "드로우 스니커즈", 2_000_000, 2, "", 1, 5);
        Instant now = TestDealClock.current();
        long dealId = fairDeal(
                bag,
                now,
                now.plus(Duration.ofHours(3)),
                Map.of(
                        "mode",
                        "DRAW",
                        "entriesOpenAt",
                        now.minusSeconds(60).toString(),
                        "entriesCloseAt",
                        now.plus(Duration.ofHours(1)).toString(),
                        "payWithin",
                        "PT30M"));
        asVerifiedBuyer();
        browser.get(shop() + "#/deals/" + dealId);
        waiting.until(ExpectedConditions.elementToBeClickable(By.id("draw-enter")))
                .click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("draw-mine"), "응모 완료"));
        waiting.until(ExpectedConditions.textToBe(By.id("draw-entries"), "1"));
        browser.findElement(By.id("draw-withdraw")).click();
        waiting.until(ExpectedConditions.elementToBeClickable(By.id("draw-enter")))
                .click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("draw-mine"), "응모번호"));
        Chromium.screenshot(browser, "draw-entered");

        TestDealClock.advance(Duration.ofMinutes(61)); // the close: drawn, the only entrant wins
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("draw-mine"), "당첨되셨습니다"));
        waiting.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#draw-mine a.button")));
        assertTrue(browser.findElement(By.id("draw-proof"))
                .getAttribute("textContent")
                .contains("공개된 시드"));
        Chromium.screenshot(browser, "draw-won");
        browser.findElement(By.cssSelector("#draw-mine a.button")).click();
        waiting.until(ExpectedConditions.attributeToBe(By.id("order-status"), "data-status", "STOCK_RESERVED"));
    }

    /** On failure: what the page said, and what the browser's console logged. */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final org.junit.jupiter.api.extension.TestExecutionExceptionHandler PAGE = (context, failure) -> {
        String page = browser.findElement(By.tagName("main")).getText();
        String console = browser.manage()
                .logs()
                .get(org.openqa.selenium.logging.LogType.BROWSER)
                .getAll()
                .toString();
        Chromium.screenshot(browser, "failed-" + context.getDisplayName());
        throw new AssertionError("page: " + page + "\nconsole: " + console, failure);
    };

    private static void type(By field, String text) {
        Chromium.type(waiting, field, text);
    }
}
