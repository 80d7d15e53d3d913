package com.sansam.commerce.operations;

import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Orders.awaitStatus;
import static com.sansam.commerce.support.Orders.awaitStock;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.commerce.support.Api;
import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import com.sansam.commerce.support.Orders;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the logs must never hold. The test profile writes commerce-api's log to a file with the application at DEBUG
 * and the Toss client logging whole requests (what an operator switches on to chase a payment problem); after a full
 * flow — signup, login, order, payment, stock commit, cancellation — neither that log nor the stock-worker's holds a
 * password, a session id, the Toss secret key or the Basic credentials made of it.
 */
@QuarkusTest
class LogHygieneTest {

    private static final Path COMMERCE_LOG = Path.of("target/commerce-api-tests.log");
    private static final Path STOCK_WORKER_LOG = Path.of("target/stock-worker-e2e.log");
    private static final String TOSS_SECRET = "test_sk_sansam_tests";

    @Test
    void aFullOrderFlowLeavesNoSecretInTheLogs() throws IOException {
        String admin = Api.adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "로그 토트백", 99_000, 2, "", 1, 3);
        awaitStock(admin, bag.sku(), 3, 0);
        String email = Api.uniqueEmail();
        Api.signup(email);
        String user = Api.login(email, Api.PASSWORD);

        String paid = Orders.paid(user, bag.sku(), 1, 99_000);
        awaitStatus(user, paid, "PAID");
        as(user).body(Map.of("reason", "changed my mind"))
                .post("/api/v1/orders/" + paid + "/cancel")
                .then()
                .statusCode(200);
        awaitStock(admin, bag.sku(), 3, 0);

        String basic = Base64.getEncoder().encodeToString((TOSS_SECRET + ":").getBytes(StandardCharsets.UTF_8));
        List<String> secrets = List.of(Api.PASSWORD, Api.ADMIN_PASSWORD, user, admin, TOSS_SECRET, basic);
        String commerce = Files.readString(COMMERCE_LOG);
        assertTrue(commerce.contains(paid), "the flow is in the log being checked");
        assertTrue(commerce.contains("/v1/payments/confirm"), "the Toss requests are logged in full here");
        for (Path log : List.of(COMMERCE_LOG, STOCK_WORKER_LOG)) {
            String text = Files.readString(log);
            for (String secret : secrets) {
                assertFalse(text.contains(secret), log + " holds a secret: " + secret.substring(0, 4) + "…");
            }
        }
    }
}
