package com.sansam.commerce.storefront;

import static com.sansam.commerce.support.Api.adminSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The storefront as a shopper sees it, in Debian's headless Chromium: sign up, search (a Korean part of a word),
 * open a product, put an option in the cart, check out, pay on the (simulated) Toss payment page and watch the order
 * become paid; and the API's problems shown in words next to the field that caused them.
 */
@QuarkusTest
class StorefrontBrowserTest {

    private static WebDriver browser;
    private static WebDriverWait waiting;

    @BeforeAll
    static void openBrowser() {
        browser = com.sansam.commerce.support.Chromium.open();
        waiting = com.sansam.commerce.support.Chromium.waiting(browser, Duration.ofSeconds(20));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static String shop() {
        return RestAssured.baseURI + ":" + RestAssured.port + "/";
    }

    @Test
    void aShopperSignsUpFindsABagBuysItAndSeesTheOrderPaid() throws IOException {
        String brand = Catalog.uniqueBrand();
        Created bag = Catalog.product(adminSession(), brand, "레더 토트백 " + brand, 3_450_000, 2, "부드러운 송아지 가죽", 1, 3);

        signUp("shopper-" + UUID.randomUUID() + "@example.com", "010-2345-6789");

        // Search finds it by a Korean part of a word.
        type(By.id("search-q"), "토트 " + brand);
        browser.findElement(By.cssSelector("#search-form button")).click();
        WebElement card = waiting.until(
                ExpectedConditions.elementToBeClickable(By.cssSelector("a[href='#/products/" + bag.id() + "']")));
        assertTrue(browser.findElement(By.id("products")).getText().contains("3,450,000원"));
        card.click();

        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "레더 토트백"));
        screenshot("product");
        new Select(browser.findElement(By.id("buy-sku"))).selectByValue(bag.sku());
        browser.findElement(By.cssSelector("#buy button[type=submit]")).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("buy-done")));

        browser.get(shop() + "#/cart");
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "합계 3,450,000원"));
        browser.get(shop() + "#/checkout");
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("ship-zipCode")));
        type(By.id("ship-zipCode"), "06000");
        type(By.id("ship-address1"), "서울 강남구 압구정로 1");
        browser.findElement(By.cssSelector("#checkout-form button[type=submit]"))
                .click();

        // The payment page (Toss's, simulated) and back.
        waiting.until(ExpectedConditions.elementToBeClickable(By.id("pay"))).click();
        waiting.until(ExpectedConditions.attributeToBe(By.id("order-status"), "data-status", "PAID"));
        assertEquals("결제 완료", browser.findElement(By.id("order-status")).getText());
        screenshot("order-paid");
        assertTrue(browser.findElement(By.tagName("main")).getText().contains("결제가 완료되었습니다"));

        // A review of the bought bag, then the bell: the payment notice arrived (live count, then the list).
        type(By.id("review-title-0"), "완벽한 토트");
        type(By.id("review-body-0"), "가죽이 부드럽고 수납이 넉넉합니다.");
        browser.findElement(By.id("review-photos-0"))
                .sendKeys(picture(Files.createTempDirectory("sansam-review").resolve("tote.jpg"), Color.ORANGE, "jpeg")
                        .toString());
        browser.findElement(By.cssSelector("form.review button[type=submit]")).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("form.review"), "리뷰를 남겨 주셔서 감사합니다. (사진 1장)"));
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("bell-count")));
        browser.findElement(By.id("nav-bell")).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "결제"));
        screenshot("notifications");
        browser.get(shop() + "#/products/" + bag.id());
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "완벽한 토트"));
        // the review's photo, uploaded straight to storage, shows under it (its thumbnail once made, else the original)
        waiting.until(
                driver -> (Boolean)
                        ((JavascriptExecutor) driver)
                                .executeScript(
                                        "const img = document.querySelector('.review-photos img'); return !!img && img.complete && img.naturalWidth > 0"));
        screenshot("review-photo");
    }

    @Test
    void aRefusedCardAndASoldOutOptionAreExplainedInWords() {
        String admin = adminSession();
        Created last = Catalog.product(admin, Catalog.uniqueBrand(), "마지막 클러치", 990_000, 2, "", 1, 1);
        Created scarf = Catalog.product(admin, Catalog.uniqueBrand(), "실크 스카프", 450_000, 2, "", 1, 2);
        signUp("refused-" + UUID.randomUUID() + "@example.com", "010-4567-8901");

        // The card is refused when the payment is confirmed: the order says so, and nothing is charged.
        addToCart(scarf);
        checkout();
        waiting.until(ExpectedConditions.elementToBeClickable(By.id("reject"))).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "카드사에서 결제를 거절했습니다"));
        waiting.until(ExpectedConditions.attributeToBe(By.id("order-status"), "data-status", "PAYMENT_FAILED"));
        screenshot("payment-refused");

        // The last clutch goes to someone else while it sits in this shopper's cart: the open product page shows it
        // sold out, and checkout says so.
        addToCart(last);
        String other = com.sansam.commerce.support.Api.newUserSession();
        com.sansam.commerce.support.Orders.reserved(
                other, java.util.List.of(com.sansam.commerce.support.Orders.line(last.sku(), 1, 990_000)));
        // the product page, still open, shows it without a reload
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#buy-sku option"), "품절"));
        Catalog.awaitAvailable(last.id(), last.sku(), 0);
        checkout();
        waiting.until(
                ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#checkout-form .form-error"), "품절"));
        screenshot("sold-out");
    }

    /**
     * An account under attack (many wrong passwords from elsewhere): in a browser it never logged in from, the right
     * password asks for the code just emailed to the owner, and the code lets them in.
     */
    @Test
    void aNewBrowserOfAnAccountUnderAttackLogsInWithTheEmailedCode() {
        String email = "attacked-" + UUID.randomUUID() + "@example.com";
        com.sansam.commerce.support.Api.signup(email);
        for (int i = 0; i < 10; i++) {
            io.restassured.RestAssured.given()
                    .header("X-Forwarded-For", "198.18." + i + ".1")
                    .contentType("application/json")
                    .body(java.util.Map.of("email", email, "password", "wrong-password-" + i))
                    .post("/api/v1/sessions")
                    .then()
                    .statusCode(401);
        }
        browser.manage().deleteAllCookies();
        browser.get(shop() + "#/login");
        type(By.id("login-email"), email);
        type(By.id("login-password"), com.sansam.commerce.support.Api.PASSWORD);
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-code")));
        String mail = com.sansam.commerce.support.TestSmtp.body(
                com.sansam.commerce.support.TestSmtp.await(email, "로그인 확인 코드"));
        java.util.regex.Matcher code =
                java.util.regex.Pattern.compile(">([0-9]{6})<").matcher(mail);
        assertTrue(code.find(), mail);
        screenshot("login-code");
        type(By.id("login-code"), code.group(1));
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-me")));
    }

    /**
     * The payment page's return address is the outside world's: a hostile orderId (a path that would climb to another
     * route, here "mark all my notices read") makes no call at all, and a failure's free text is never shown.
     */
    @Test
    void aHostilePaymentReturnMakesNoCallAndShowsNoForeignText() {
        signUp("hostile-" + UUID.randomUUID() + "@example.com", "010-5678-9012");
        String session = browser.manage().getCookieNamed("SESSION").getValue();
        int unread = com.sansam.commerce.support.Api.as(session)
                .get("/api/v1/notifications/unread-count")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getInt("unreadCount");
        assertTrue(unread >= 1, "the welcome notice is unread");

        browser.get(shop() + "?pay=success&orderId="
                + java.net.URLEncoder.encode(
                        "../../v1/notifications/read-all?", java.nio.charset.StandardCharsets.UTF_8)
                + "&paymentKey=pk_1&amount=1");
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "결제 정보가 올바르지 않습니다"));
        assertEquals(
                unread,
                com.sansam.commerce.support.Api.as(session)
                        .get("/api/v1/notifications/unread-count")
                        .then()
                        .extract()
                        .jsonPath()
                        .getInt("unreadCount"));

        Created bag = Catalog.product(adminSession(), Catalog.uniqueBrand(), "미니 토트", 890_000, 2, "", 1, 1);
        String orderId = com.sansam.commerce.support.Orders.reserved(
                        session, java.util.List.of(com.sansam.commerce.support.Orders.line(bag.sku(), 1, 890_000)))
                .getString("orderId");
        browser.get(shop() + "?pay=fail&code=EVIL&message="
                + java.net.URLEncoder.encode(
                        "고객센터 010-0000-0000으로 카드번호를 알려 주세요", java.nio.charset.StandardCharsets.UTF_8)
                + "&orderId=" + orderId);
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "결제가 완료되지 않았습니다"));
        assertTrue(!browser.findElement(By.tagName("main")).getText().contains("카드번호"));
    }

    /**
     * Keyboard and screen readers: every field of the main pages has a label (its own or aria-label), each page
     * moves focus to its heading, and a shopper reaches search and a product with the keyboard alone.
     */
    @Test
    void everyFieldIsLabelledAndTheKeyboardAloneFindsAProduct() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "키보드 토트백", 1_990_000, 2);
        signUp("keyboard-" + UUID.randomUUID() + "@example.com", "010-5678-9012");
        for (String page : new String[] {
            "#/",
            "#/products/" + bag.id(),
            "#/cart",
            "#/me",
            "#/orders",
            "#/notifications",
            "#/deals",
            "#/signup",
            "#/login"
        }) { // the chat pages: StorefrontChatBrowserTest
            browser.get(shop() + page);
            waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#main h1")));
            // the page's heading has the focus (a screen reader starts there)
            waiting.until(driver -> "H1"
                    .equals(((org.openqa.selenium.JavascriptExecutor) driver)
                            .executeScript("return document.activeElement && document.activeElement.tagName")));
            assertEquals(java.util.List.of(), unlabelledFields(browser), "fields without a label on " + page);
        }

        // Keyboard only: from the page's heading (where focus lands), back up to the header's search field; Enter
        // searches; Tab from the results' heading reaches the product; Enter opens it.
        browser.get(shop() + "#/");
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "새로 들어온 상품"));
        org.openqa.selenium.interactions.Actions keys = new org.openqa.selenium.interactions.Actions(browser);
        for (int i = 0;
                i < 15 && !"search-q".equals(browser.switchTo().activeElement().getAttribute("id"));
                i++) {
            keys.keyDown(org.openqa.selenium.Keys.SHIFT)
                    .sendKeys(org.openqa.selenium.Keys.TAB)
                    .keyUp(org.openqa.selenium.Keys.SHIFT)
                    .perform();
        }
        assertEquals(
                "search-q",
                browser.switchTo().activeElement().getAttribute("id"),
                "the search field is reached by the keyboard");
        keys.sendKeys("키보드 토트" + org.openqa.selenium.Keys.ENTER).perform();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "검색 결과"));
        waiting.until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("a[href='#/products/" + bag.id() + "']")));
        for (int i = 0;
                i < 40
                        && !("#/products/" + bag.id())
                                .equals(
                                        browser.switchTo().activeElement().getAttribute("href") == null
                                                ? null
                                                : browser.switchTo()
                                                        .activeElement()
                                                        .getAttribute("href")
                                                        .replaceFirst("^.*(#/)", "#/"));
                i++) {
            keys.sendKeys(org.openqa.selenium.Keys.TAB).perform();
        }
        keys.sendKeys(org.openqa.selenium.Keys.ENTER).perform();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "키보드 토트백"));
    }

    /** A page that fails says so under a heading, with a way home (phones: StorefrontLookBrowserTest). */
    @Test
    void aFailedPageSaysWhatHappened() {
        browser.get(shop() + "#/products/999999999");
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#main h1"), "찾을 수 없습니다"));
        assertTrue(browser.findElement(By.cssSelector("#main [role=alert]")).isDisplayed());
        assertTrue(browser.findElement(By.cssSelector("#main a[href='#/']")).isDisplayed(), "a way home");
    }

    /** The visible form fields of the page that have neither a label nor an aria-label. */
    static Object unlabelledFields(WebDriver browser) {
        return ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("""
                return [...document.querySelectorAll('input, select, textarea')]
                  .filter((el) => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
                  .map((el) => el.name || el.id || el.outerHTML.slice(0, 60));""");
    }

    private static void addToCart(Created product) {
        browser.get(shop() + "#/products/" + product.id());
        waiting.until(ExpectedConditions.elementToBeClickable(By.id("buy-sku")));
        new Select(browser.findElement(By.id("buy-sku"))).selectByValue(product.sku());
        browser.findElement(By.cssSelector("#buy button[type=submit]")).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("buy-done")));
    }

    private static void checkout() {
        browser.get(shop() + "#/checkout");
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("ship-zipCode")));
        type(By.id("ship-zipCode"), "06000");
        type(By.id("ship-address1"), "서울 강남구 압구정로 1");
        browser.findElement(By.cssSelector("#checkout-form button[type=submit]"))
                .click();
    }

    @Test
    void theApisProblemsAreShownNextToTheFieldsThatCausedThem() {
        browser.get(shop() + "#/signup");
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("signup-email")));
        type(By.id("signup-email"), "bad-phone-" + UUID.randomUUID() + "@example.com");
        type(By.id("signup-password"), "correct-horse-9");
        type(By.id("signup-name"), "김산삼");
        type(By.id("signup-phone"), "not a phone");
        browser.findElement(By.cssSelector("#signup-form button[type=submit]")).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("signup-phone-error"), "phone number"));
        assertEquals("true", browser.findElement(By.id("signup-phone")).getAttribute("aria-invalid"));
        screenshot("signup-problem");

        browser.get(shop() + "#/login");
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-email")));
        type(By.id("login-email"), "nobody-" + UUID.randomUUID() + "@example.com");
        type(By.id("login-password"), "wrong-password-1");
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        waiting.until(
                ExpectedConditions.not(ExpectedConditions.textToBe(By.cssSelector("#login-form .form-error"), "")));
    }

    @Test
    void anAdminSeesWhetherABuyerIsVerifiedWithTheNumberMasked() {
        String email = com.sansam.commerce.support.Api.uniqueEmail();
        com.sansam.commerce.support.Api.markVerified(com.sansam.commerce.support.Api.signup(email));
        logInAsAdmin();
        browser.get(shop() + "#/admin/users");
        type(By.id("admin-user-email"), email);
        browser.findElement(By.cssSelector("#user-form button[type=submit]")).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("user-phone-verified"), "인증됨"));
        String phone = browser.findElement(By.id("user-phone-verified")).getText();
        assertTrue(phone.startsWith("019-****-"), phone);
        assertTrue(browser.findElement(By.id("user-email-verified")).getText().startsWith("인증됨"));
    }

    @Test
    void anAdminRegistersAProductWithItsOptionsAndSeesTheStock() {
        logInAsAdmin();

        browser.get(shop() + "#/admin/products/new");
        String brand = Catalog.uniqueBrand();
        type(By.id("admin-name"), "카프 스킨 숄더백");
        type(By.id("admin-brand"), brand);
        type(By.id("admin-price"), "2890000");
        type(By.id("admin-options-0--color"), "블랙");
        type(By.id("admin-options-0--sku"), "no spaces allowed");
        type(By.id("admin-options-0--initialStock"), "4");
        browser.findElement(By.cssSelector("#product-form button[type=submit]")).click();
        // The API's violation lands next to the SKU of the first option.
        waiting.until(
                ExpectedConditions.textToBePresentInElementLocated(By.id("admin-options-0--sku-error"), "letters"));

        String sku = "ADM-" + UUID.randomUUID().toString().substring(0, 8);
        type(By.id("admin-options-0--sku"), sku);
        browser.findElement(By.cssSelector("#product-form button[type=submit]")).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "카프 스킨 숄더백"));
        // The stock-worker's stock reaches the page (reloaded until it shows).
        waiting.until(driver -> {
            driver.navigate().refresh();
            return com.sansam.commerce.support.Chromium.waiting(driver, Duration.ofSeconds(2))
                            .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".stock-form")))
                            .findElement(By.xpath("../.."))
                            .getText()
                            .contains(sku)
                    && driver.findElement(By.tagName("tbody")).getText().contains(" 4");
        });
        // The initial stock is listed as applied; a cut below what is available is refused at once, in words.
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("adjustments"), "반영됨"));
        type(By.id("delta-0"), "-9");
        type(By.id("reason-0"), "파손");
        browser.findElement(By.cssSelector(".stock-form button[type=submit]")).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".stock-form .form-error"), "판매 가능 4개"));
        // A restock is requested, then shown applied with the units after it.
        type(By.id("delta-0"), "2");
        type(By.id("reason-0"), "입고");
        browser.findElement(By.cssSelector(".stock-form button[type=submit]")).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("adjustments"), "판매 가능 6개"));
        screenshot("admin-product");
    }

    /**
     * Files go from the browser straight to storage (S3Proxy, through its CORS answer) and are confirmed; the list
     * shows their thumbnails in order, moves and deletes them; a file of a refused type is said in words.
     */
    @Test
    void anAdminUploadsOrdersAndDeletesAProductsImages() throws Exception {
        Created scarf = Catalog.product(adminSession(), Catalog.uniqueBrand(), "실크 스카프", 450_000, 2);
        Path dir = Files.createTempDirectory("sansam-images");
        Path red = picture(dir.resolve("red.png"), Color.RED, "png");
        Path blue = picture(dir.resolve("blue.jpg"), Color.BLUE, "jpeg");
        Path gif = picture(dir.resolve("anim.gif"), Color.GREEN, "gif");
        logInAsAdmin();
        browser.get(shop() + "#/admin/products/" + scarf.id());
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("admin-images"), "올린 이미지가 없습니다"));

        browser.findElement(By.id("admin-image-files")).sendKeys(red + "\n" + blue);
        browser.findElement(By.cssSelector("#image-form button[type=submit]")).click();
        waiting.until(ExpectedConditions.textToBe(By.id("image-progress"), "2장을 올렸습니다."));
        waiting.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#admin-images li[data-id]"), 2));
        List<String> uploaded = imageIds();
        assertEquals(
                List.of("/api/v1/images/" + uploaded.get(0), "/api/v1/images/" + uploaded.get(1)),
                uploadedLinks(scarf));
        // the thumbnails load through the stable links
        waiting.until(
                driver -> (Boolean)
                        ((JavascriptExecutor) driver)
                                .executeScript(
                                        "return [...document.querySelectorAll('#admin-images img')].every(img => img.complete && img.naturalWidth > 0)"));

        // the second becomes the main image
        browser.findElement(By.cssSelector("#admin-images li[data-id='" + uploaded.get(0) + "'] button[data-move='1']"))
                .click();
        waiting.until(driver -> imageIds().equals(List.of(uploaded.get(1), uploaded.get(0))));
        assertEquals(
                "/api/v1/images/" + uploaded.get(1),
                RestAssured.get("/api/v1/products/" + scarf.id()).jsonPath().getString("imageUrls[0]"));

        browser.findElement(By.cssSelector("#admin-images li[data-id='" + uploaded.get(0) + "'] button[data-delete]"))
                .click();
        waiting.until(ExpectedConditions.alertIsPresent()).accept();
        waiting.until(driver -> imageIds().equals(List.of(uploaded.get(1))));
        assertEquals(List.of("/api/v1/images/" + uploaded.get(1)), uploadedLinks(scarf));

        browser.findElement(By.id("admin-image-files")).sendKeys(gif.toString());
        browser.findElement(By.cssSelector("#image-form button[type=submit]")).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#image-form .form-error"), "anim.gif: "));
        assertEquals(
                "anim.gif: JPEG, PNG, WebP 파일만 올릴 수 있습니다.",
                browser.findElement(By.cssSelector("#image-form .form-error")).getText());
        assertEquals(List.of(uploaded.get(1)), imageIds());
        screenshot("admin-images");
    }

    /** The product's image links that are uploads (typed-in URLs follow them). */
    private static List<String> uploadedLinks(Created product) {
        return RestAssured.get("/api/v1/products/" + product.id()).jsonPath().<String>getList("imageUrls").stream()
                .filter(url -> url.startsWith("/api/v1/images/"))
                .toList();
    }

    /** The listed image ids, read in one step (the list is redrawn after each change). */
    @SuppressWarnings("unchecked")
    private static List<String> imageIds() {
        return (List<String>) ((JavascriptExecutor) browser)
                .executeScript(
                        "return [...document.querySelectorAll('#admin-images li[data-id]')].map(li => li.dataset.id)");
    }

    private static Path picture(Path file, Color colour, String format) throws IOException {
        BufferedImage image = new BufferedImage(600, 400, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, 600, 400);
        g.dispose();
        ImageIO.write(image, format, file.toFile());
        return file;
    }

    private static void logInAsAdmin() {
        browser.manage().deleteAllCookies();
        browser.get(shop() + "#/login");
        type(By.id("login-email"), com.sansam.commerce.support.Api.ADMIN_EMAIL);
        type(By.id("login-password"), com.sansam.commerce.support.Api.ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-admin")));
    }

    @Test
    void aShopperBuysFromALiveDealAndWatchesItsCountGoDown() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "딜 호보백", 2_000_000, 2, "", 1, 5);
        java.time.Instant start =
                com.sansam.commerce.support.TestDealClock.current().plus(Duration.ofHours(1));
        long dealId = com.sansam.commerce.support.Deals.open(
                admin,
                com.sansam.commerce.support.Deals.deal(
                        bag.id(),
                        java.util.List.of(com.sansam.commerce.support.Deals.dealLine(bag.sku(), 1_500_000, 3)),
                        1,
                        start,
                        start.plus(Duration.ofHours(2))));
        com.sansam.commerce.support.TestDealClock.advance(Duration.ofMinutes(61));
        try {
            String email = "deal-shopper-" + UUID.randomUUID() + "@example.com";
            String phone = com.sansam.commerce.support.Api.randomMobile();
            signUp(email, phone);
            // Deals sell to verified buyers: the page says so before anything is tried.
            browser.get(shop() + "#/deals/" + dealId);
            waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("deal-requirement"), "이메일과 휴대폰"));
            assertTrue(browser.findElement(By.id("verify-banner")).isDisplayed(), "the email banner asks for the link");

            // The link from the email (GreenMail), opened in the browser, proves the email.
            browser.get(shop() + "?verify-email=" + com.sansam.commerce.support.Verify.emailToken(email));
            waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "이메일 주소를 확인했습니다"));
            waiting.until(ExpectedConditions.invisibilityOfElementLocated(By.id("verify-banner")));
            // The code the SMS simulator received, typed into the profile's phone form.
            type(By.id("verify-phone"), phone.substring(0, 3) + "-" + phone.substring(3, 7) + "-" + phone.substring(7));
            browser.findElement(By.id("phone-send")).click();
            waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("phone-countdown"), "안에 입력해 주세요"));
            type(By.id("verify-code"), com.sansam.commerce.support.SmsSimulator.lastCode(phone));
            browser.findElement(By.cssSelector("#phone-code-form button[type=submit]"))
                    .click();
            waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("phone-verified")));
            screenshot("verified");

            browser.get(shop() + "#/deals/" + dealId);
            waiting.until(ExpectedConditions.textToBe(By.id("deal-remaining"), "3"));
            assertTrue(browser.findElements(By.id("deal-requirement")).isEmpty(), "nothing left to verify");
            assertTrue(browser.findElement(By.id("deal-sku")).getText().contains("1,500,000원"));
            type(By.id("deal-zipCode"), "06000");
            type(By.id("deal-address1"), "서울 강남구 압구정로 1");
            browser.findElement(By.cssSelector("#deal-form button[type=submit]"))
                    .click();
            waiting.until(ExpectedConditions.attributeToBe(By.id("order-status"), "data-status", "STOCK_RESERVED"));

            browser.get(shop() + "#/deals/" + dealId);
            waiting.until(ExpectedConditions.textToBe(By.id("deal-remaining"), "2"));
            // A second unit is over this buyer's limit: said in words next to the form.
            type(By.id("deal-zipCode"), "06000");
            type(By.id("deal-address1"), "서울 강남구 압구정로 1");
            browser.findElement(By.cssSelector("#deal-form button[type=submit]"))
                    .click();
            waiting.until(
                    ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#deal-form .form-error"), "한도"));
            // Another buyer's purchase reaches this page through the stream.
            String other = com.sansam.commerce.support.Api.verifiedUserSession();
            com.sansam.commerce.support.Deals.order(
                            other, com.sansam.commerce.support.Deals.dealItem(bag.sku(), 1, 1_500_000, dealId))
                    .then()
                    .statusCode(201);
            waiting.until(ExpectedConditions.textToBe(By.id("deal-remaining"), "1"));
            screenshot("deal");
        } finally {
            com.sansam.commerce.support.TestDealClock.reset();
        }
    }

    private static void signUp(String email, String phone) {
        browser.manage().deleteAllCookies();
        browser.get(shop() + "#/signup");
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("signup-email")));
        type(By.id("signup-email"), email);
        type(By.id("signup-password"), "correct-horse-9");
        type(By.id("signup-name"), "김산삼");
        type(By.id("signup-phone"), phone);
        browser.findElement(By.cssSelector("#signup-form button[type=submit]")).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-me")));
        // Signed up, logged in, and taken home: only now is the next navigation the test's own.
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "새로 들어온 상품"));
    }

    private static void screenshot(String name) {
        com.sansam.commerce.support.Chromium.screenshot(browser, name);
    }

    private static void type(By field, String text) {
        com.sansam.commerce.support.Chromium.type(waiting, field, text);
    }
}
