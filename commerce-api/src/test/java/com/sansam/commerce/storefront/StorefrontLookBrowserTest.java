package com.sansam.commerce.storefront;

import static com.sansam.commerce.support.Api.adminSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import com.sansam.commerce.media.demo.DemoPictures;
import com.sansam.commerce.media.service.ImageService;
import com.sansam.commerce.support.Api;
import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import com.sansam.commerce.support.Chromium;
import com.sansam.commerce.support.Deals;
import com.sansam.commerce.support.TestDealClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * How the shop looks and feels, in Debian's headless Chromium: a drop leads the home page with a live countdown,
 * products show their pictures (a gallery worked by keyboard), axe-core finds nothing serious on the main pages, a
 * purchase is done with the keyboard alone, phones get pages that fit, the first load is light, and no page writes
 * an error to the console. Screenshots and timings are kept under {@code target/} for people to look at.
 */
@QuarkusTest
class StorefrontLookBrowserTest {

    /** The home page's first load before product pictures: markup, styles, scripts and API answers. */
    private static final long FIRST_LOAD_BUDGET_BYTES = 200 * 1024;

    private static final Path REPORT = Path.of("target", "storefront-report.txt");

    private static WebDriver browser;
    private static WebDriverWait waiting;

    @Inject
    DemoPictures demoPictures;

    @BeforeAll
    static void openBrowser() throws IOException {
        browser = Chromium.open();
        waiting = com.sansam.commerce.support.Chromium.waiting(browser, Duration.ofSeconds(20));
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, "");
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** A product of the demo's kind: two drawn pictures through the image pipeline, and a deal of it opening soon. */
    private Created picturedProduct(String name) throws Exception {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), name, 3_450_000, 2, "이탈리아산 송아지 가죽", 1, 5);
        long adminId = Api.as(admin)
                .get("/api/v1/users/me")
                .then()
                .extract()
                .jsonPath()
                .getLong("id");
        ImageService.Actor actor = new ImageService.Actor(adminId, true);
        for (String colour : List.of("블랙", "카멜")) {
            CompletableFuture.runAsync(() -> demoPictures.upload(bag.id(), 2, colour, actor))
                    .get(60, TimeUnit.SECONDS);
        }
        return bag;
    }

    /** A verified buyer with an address and one unit of {@code product} in the cart: their session. */
    private static String buyerWithInCart(Created product) {
        String buyer = Api.verifiedBuyerWithAddress();
        Api.as(buyer)
                .body(Map.of("sku", product.sku(), "quantity", 1))
                .post("/api/v1/cart/items")
                .then()
                .statusCode(201);
        return buyer;
    }

    @Test
    void aDropLeadsTheHomePageAndTheKeyboardAloneBuysAPicturedBag() throws Exception {
        Created bag = picturedProduct("룩 토트백");
        Instant start = TestDealClock.current().plus(Duration.ofMinutes(30));
        long dealId = Deals.open(
                adminSession(),
                Deals.deal(
                        bag.id(),
                        List.of(Deals.dealLine(bag.sku(), 2_950_000, 2)),
                        1,
                        start,
                        start.plus(Duration.ofHours(1))));
        logIn(Api.verifiedBuyerWithAddress());

        // The home page leads with a drop (this one or another opening sooner): its clock counts down.
        open("#/");
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".drop [data-countdown]")));
        String before =
                browser.findElement(By.cssSelector(".drop [data-countdown]")).getText();
        waiting.until(driver -> !driver.findElement(By.cssSelector(".drop [data-countdown]"))
                .getText()
                .equals(before));
        assertTrue(browser.findElement(By.cssSelector(".drop .was")).getText().endsWith("원"));
        allPicturesShown();
        Chromium.screenshot(browser, "home");

        // The deal's page: the product's pictures, the deal price beside the regular one, the clock.
        open("#/deals/" + dealId);
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".deal-page [data-countdown]")));
        assertTrue(browser.findElement(By.cssSelector(".deal-page .prices"))
                .getText()
                .contains("2,950,000원"));
        assertTrue(browser.findElement(By.cssSelector(".deal-page .prices"))
                .getText()
                .contains("3,450,000원"));
        allPicturesShown();
        Chromium.screenshot(browser, "deal");

        // The product, by keyboard only: the gallery's thumbnails answer the arrow keys; the option, the cart, the
        // checkout and the payment page are reached with Tab and Enter, and every stop shows the focus ring.
        open("#/products/" + bag.id());
        // two drawn pictures, then the test catalogue's typed-in link (a host that never resolves): its placeholder
        waiting.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".thumb"), 3));
        waiting.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".thumb .ph"), 1));
        allPicturesShown();
        Chromium.screenshot(browser, "product");
        tabTo("button.thumb[data-index='0']");
        keys().sendKeys(Keys.ARROW_RIGHT).perform();
        waiting.until(ExpectedConditions.attributeContains(By.cssSelector(".gallery-main"), "alt", "이미지 2/3"));
        assertEquals(
                "true",
                browser.findElement(By.cssSelector("button.thumb[data-index='1']"))
                        .getAttribute("aria-pressed"));
        tabTo("#buy button[type=submit]");
        keys().sendKeys(Keys.ENTER).perform();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("buy-done")));
        tabTo("#buy-done a[href='#/cart']");
        keys().sendKeys(Keys.ENTER).perform();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "합계 3,450,000원"));
        tabTo("#to-checkout");
        keys().sendKeys(Keys.ENTER).perform();
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("checkout-form")));
        tabTo("#checkout-form button[type=submit]"); // the address was kept from before: nothing to type
        keys().sendKeys(Keys.ENTER).perform();
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("pay")));
        for (int i = 0;
                i < 5 && !"pay".equals(browser.switchTo().activeElement().getAttribute("id"));
                i++) {
            keys().sendKeys(Keys.TAB).perform(); // the payment page is Toss's (here its simulator)
        }
        keys().sendKeys(Keys.ENTER).perform();
        waiting.until(ExpectedConditions.attributeToBe(By.id("order-status"), "data-status", "PAID"));
        assertEquals(List.of(), consoleErrors(), "console errors");
    }

    /** axe-core on the main pages, as a buyer with a cart, as a visitor and as an admin: nothing serious. */
    @Test
    void axeFindsNothingSeriousOnTheMainPages() throws Exception {
        Created bag = picturedProduct("접근성 숄더백");
        String buyer = buyerWithInCart(bag);
        String orderId = com.sansam.commerce.support.Orders.reserved(
                        buyer, List.of(com.sansam.commerce.support.Orders.line(bag.sku(), 1, 3_450_000)))
                .getString("orderId");
        List<String> found = new ArrayList<>();
        String[] engine = {null};
        logIn(buyer);
        for (String page : List.of(
                "#/",
                "#/search?q=" + bag.sku(),
                "#/products/" + bag.id(),
                "#/cart",
                "#/checkout",
                "#/deals",
                "#/orders",
                "#/orders/" + orderId,
                "#/me",
                "#/notifications")) {
            found.addAll(axe(page, engine));
        }
        browser.manage().deleteAllCookies();
        for (String page : List.of("#/login", "#/signup")) {
            found.addAll(axe(page, engine));
        }
        logIn(adminSession());
        for (String page : List.of("#/admin", "#/admin/products/" + bag.id(), "#/admin/deals", "#/admin/orders")) {
            found.addAll(axe(page, engine));
        }
        report(engine[0] + ", WCAG 2.1 A/AA, 16 pages: " + found.size() + " violations of any impact\n"
                + String.join("\n", found));
        assertEquals(
                List.of(),
                found.stream()
                        .filter(v -> v.startsWith("serious") || v.startsWith("critical"))
                        .toList());
        assertEquals(List.of(), consoleErrors(), "console errors");
    }

    /**
     * On a 375 px phone every main page fits the width (no sideways scrolling); screenshots of them, and the same
     * pages at 1280 px, go to {@code target/storefront-screenshots}.
     */
    @Test
    void thePagesFitA375PixelPhone() throws Exception {
        Created bag = picturedProduct("폰 화면 토트백");
        String buyer = buyerWithInCart(bag);
        logIn(buyer);
        Dimension desktop = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(375, 812));
        try {
            for (String[] page : new String[][] {
                {"#/", "phone-home"},
                {"#/products/" + bag.id(), "phone-product"},
                {"#/cart", "phone-cart"},
                {"#/checkout", "phone-checkout"},
                {"#/deals", "phone-deals"},
                {"#/orders", null},
                {"#/me", null},
                {"#/notifications", null},
                {"#/login", null}
            }) {
                open(page[0]);
                Object overflow = ((JavascriptExecutor) browser).executeScript("""
                        const width = document.documentElement.clientWidth;
                        return [...document.querySelectorAll('body *')]
                          .filter((el) => el.getBoundingClientRect().right > width + 1 && getComputedStyle(el).position !== 'fixed')
                          .slice(0, 5).map((el) => el.tagName + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : ''));""");
                assertEquals(List.of(), overflow, "elements wider than a phone on " + page[0]);
                if (page[1] != null) {
                    allPicturesShown();
                    Chromium.screenshot(browser, page[1]);
                }
            }
        } finally {
            browser.manage().window().setSize(desktop);
        }
        open("#/cart");
        Chromium.screenshot(browser, "cart");
        open("#/deals");
        allPicturesShown();
        Chromium.screenshot(browser, "deals");
        assertEquals(List.of(), consoleErrors(), "console errors");
    }

    /**
     * A visitor's first load of the home page, with an empty cache, transfers at most 200 KB before product pictures
     * (asserted: it is bytes, not speed); the navigation timings of the home and product pages are reported.
     */
    @Test
    void theFirstLoadIsLightAndItsTimingsAreReported() throws Exception {
        Created bag = picturedProduct("가벼운 클러치");
        browser.manage().deleteAllCookies();
        StringBuilder timings = new StringBuilder("navigation timings (ms, this machine, one load each):\n");
        for (String page : List.of("#/", "#/products/" + bag.id())) {
            browser.get("about:blank");
            ((ChromeDriver) browser).executeCdpCommand("Network.clearBrowserCache", Map.of());
            browser.get(shop() + page);
            settled();
            allPicturesShown();
            @SuppressWarnings("unchecked")
            Map<String, Object> load = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript("""
                    const nav = performance.getEntriesByType('navigation')[0];
                    const picture = (r) => r.initiatorType === 'img' || /\\/api\\/v1\\/images\\//.test(r.name);
                    const resources = performance.getEntriesByType('resource');
                    const paint = performance.getEntriesByName('first-contentful-paint')[0];
                    return {
                      bytes: nav.transferSize + resources.filter((r) => !picture(r)).reduce((sum, r) => sum + r.transferSize, 0),
                      pictureBytes: resources.filter(picture).reduce((sum, r) => sum + r.transferSize, 0),
                      requests: 1 + resources.filter((r) => !picture(r)).length,
                      ttfb: Math.round(nav.responseStart), domContentLoaded: Math.round(nav.domContentLoadedEventEnd),
                      load: Math.round(nav.loadEventEnd), firstContentfulPaint: paint ? Math.round(paint.startTime) : -1,
                      contentShown: Math.round(performance.now()) };""");
            timings.append(page.startsWith("#/products") ? "product" : "home")
                    .append(": ")
                    .append(load)
                    .append('\n');
            if (page.equals("#/")) {
                long bytes = ((Number) load.get("bytes")).longValue();
                assertTrue(bytes > 10_000, "the count saw the page's own files: " + load);
                assertTrue(bytes <= FIRST_LOAD_BUDGET_BYTES, "first load before pictures: " + load);
            }
        }
        report(timings.toString());
        assertEquals(List.of(), consoleErrors(), "console errors");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static String shop() {
        return RestAssured.baseURI + ":" + RestAssured.port + "/";
    }

    private static void logIn(String session) {
        browser.get(shop() + "shop/app.css"); // any file of the shop's origin, to set its cookie on
        browser.manage().deleteAllCookies();
        browser.manage().addCookie(new Cookie("SESSION", session, "/"));
    }

    /** Opens a page of the shop and waits until it has drawn its content. */
    private static void open(String page) {
        browser.get(shop() + page);
        settled();
    }

    private static void settled() {
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#main h1")));
        waiting.until(driver -> driver.findElements(By.cssSelector("#main .loading, #main [aria-busy=true]"))
                .isEmpty());
    }

    /** Every picture on the page has loaded (none broken: a failed one is replaced by the placeholder). */
    private static void allPicturesShown() {
        waiting.until(driver -> (Boolean) ((JavascriptExecutor) driver).executeScript("""
                const inView = (r) => r.width > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
                return [...document.querySelectorAll('#main img:not([hidden])')]
                  .filter((img) => inView(img.getBoundingClientRect()))
                  .every((img) => img.complete && img.naturalWidth > 0);"""));
    }

    /**
     * The console's errors about the shop's own pages (the payment page is Toss's, here WireMock's, which has no
     * favicon; the test catalogue's typed-in picture links name a host that does not exist, and each shows the
     * placeholder, checked above), but for the chat's socket: this class runs no chat-gateway
     * (StorefrontChatBrowserTest runs one).
     */
    private static List<String> consoleErrors() {
        String origin = shop().replaceAll("/$", "");
        return Chromium.consoleErrors(browser).stream()
                .filter(e -> e.startsWith(origin) || !e.startsWith("http"))
                .filter(e -> !e.contains("/ws/chat' failed"))
                .toList();
    }

    private static Actions keys() {
        return new Actions(browser);
    }

    /** Tabs forward until {@code css} has the focus, checking that each stop on the way shows the focus ring. */
    private static void tabTo(String css) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        for (int i = 0; i < 60; i++) {
            if ((Boolean) js.executeScript("return document.activeElement.matches(arguments[0])", css)) {
                return;
            }
            keys().sendKeys(Keys.TAB).perform();
            Object ring = js.executeScript("""
                    const el = document.activeElement;
                    if (!el || el === document.body) return 'none';
                    const style = getComputedStyle(el);
                    return el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
                      ? 'ring' : el.outerHTML.slice(0, 80);""");
            assertTrue("ring".equals(ring) || "none".equals(ring), "a keyboard stop without a visible focus: " + ring);
        }
        throw new AssertionError("the keyboard never reached " + css);
    }

    /** axe-core's violations on a page (WCAG 2.1 A and AA), one line each: "impact rule page: targets". */
    private static List<String> axe(String page, String[] engine) {
        open(page);
        allPicturesShown();
        Results results = new AxeBuilder()
                .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
                .analyze(browser);
        engine[0] = results.getTestEngine().getName() + " "
                + results.getTestEngine().getVersion();
        assertTrue(
                results.getPasses().size() > 10,
                "axe checked " + page + ": " + results.getPasses().size() + " rules passed");
        List<String> lines = new ArrayList<>();
        for (Rule rule : results.getViolations()) {
            lines.add(rule.getImpact() + " " + rule.getId() + " " + page + ": "
                    + rule.getNodes().stream()
                            .limit(3)
                            .map(node -> String.valueOf(node.getTarget()))
                            .toList());
        }
        return lines;
    }

    private static void report(String text) throws IOException {
        Files.writeString(REPORT, text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("[storefront] " + text);
    }
}
