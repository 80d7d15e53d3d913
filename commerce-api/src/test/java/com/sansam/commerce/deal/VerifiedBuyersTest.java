package com.sansam.commerce.deal;

import static com.sansam.commerce.support.Api.PASSWORD;
import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.login;
import static com.sansam.commerce.support.Api.problem;
import static com.sansam.commerce.support.Api.randomMobile;
import static com.sansam.commerce.support.Api.signup;
import static com.sansam.commerce.support.Api.uniqueEmail;
import static com.sansam.commerce.support.Deals.deal;
import static com.sansam.commerce.support.Deals.dealItem;
import static com.sansam.commerce.support.Deals.dealLine;
import static com.sansam.commerce.support.Deals.open;
import static com.sansam.commerce.support.Deals.order;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sansam.commerce.support.AtOnce;
import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import com.sansam.commerce.support.TestDealClock;
import com.sansam.commerce.support.Verify;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A deal sells to verified buyers only, and its per-buyer limit counts per verified phone across accounts. */
@QuarkusTest
class VerifiedBuyersTest {

    private static final long PRICE = 2_900_000;
    private static final long DEAL_PRICE = 1_900_000;

    @AfterEach
    void realTime() {
        TestDealClock.reset();
    }

    private static long liveDeal(String admin, Created bag, int units, int limit) {
        Instant start = TestDealClock.current().plus(Duration.ofHours(1));
        long id = open(
                admin,
                deal(bag.id(), List.of(dealLine(bag.sku(), DEAL_PRICE, units)), limit, start, start.plusSeconds(7200)));
        TestDealClock.advance(Duration.ofMinutes(61));
        return id;
    }

    @Test
    void anUnverifiedAccountIsToldWhatIsMissingAndBuysNothing() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Verified-only bag", PRICE, 2, "", 1, 5);
        long id = liveDeal(admin, bag, 3, 1);
        String email = uniqueEmail();
        signup(email);
        String buyer = login(email, PASSWORD);

        problem(order(buyer, dealItem(bag.sku(), 1, DEAL_PRICE, id)), 403)
                .then()
                .body("type", equalTo("/problems/verification-required"))
                .body("extra.missing", contains("email", "phone"));
        Verify.followLink(Verify.emailToken(email)).then().statusCode(204);
        problem(order(buyer, dealItem(bag.sku(), 1, DEAL_PRICE, id)), 403)
                .then()
                .body("extra.missing", contains("phone"));
        Verify.phone(buyer, randomMobile());
        order(buyer, dealItem(bag.sku(), 1, DEAL_PRICE, id)).then().statusCode(201);
        assertEquals(2, com.sansam.commerce.support.Deals.admin(admin, id).getInt("lines[0].remaining"));
    }

    /**
     * A number that moves to another account brings its purchases with it: the first account buys the limit in
     * parallel, lets the number go (verifies another), a second account proves the number and can buy nothing more.
     */
    @Test
    void aPhoneMovedToAnotherAccountBuysNoMoreThanTheLimitInAll() throws Exception {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "One-per-person bag", PRICE, 2, "", 1, 20);
        long id = liveDeal(admin, bag, 10, 2);
        String phone = randomMobile();

        String first = verified(phone);
        List<Response> firstTries = AtOnce.fire(5, i -> order(first, dealItem(bag.sku(), 1, DEAL_PRICE, id)));
        assertEquals(2, firstTries.stream().filter(a -> a.statusCode() == 201).count());

        Verify.phone(first, randomMobile()); // the account moves to another number: the first one is free
        String second = verified(phone);
        List<Response> secondTries = AtOnce.fire(5, i -> order(second, dealItem(bag.sku(), 1, DEAL_PRICE, id)));
        assertEquals(0, secondTries.stream().filter(a -> a.statusCode() == 201).count());
        secondTries.forEach(answer -> problem(answer, 409)
                .then()
                .body("type", equalTo("/problems/deal-limit"))
                .body("extra.bought", equalTo(2)));
        assertEquals(8, com.sansam.commerce.support.Deals.admin(admin, id).getInt("lines[0].remaining"));
    }

    /** A new account with a verified email and the given number proven by its SMS code. */
    private static String verified(String phone) {
        String email = uniqueEmail();
        signup(email);
        String session = login(email, PASSWORD);
        Verify.followLink(Verify.emailToken(email)).then().statusCode(204);
        Verify.phone(session, phone);
        return session;
    }
}
