package com.sansam.commerce.deal;

import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.newUserSession;
import static com.sansam.commerce.support.Api.problem;
import static com.sansam.commerce.support.Api.verifiedUserSession;
import static com.sansam.commerce.support.Deals.admin;
import static com.sansam.commerce.support.Deals.assertNoDeadLetters;
import static com.sansam.commerce.support.Deals.dealItem;
import static com.sansam.commerce.support.Deals.dealLine;
import static com.sansam.commerce.support.Deals.open;
import static com.sansam.commerce.support.Deals.order;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.commerce.deal.service.DrawSeal;
import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import com.sansam.commerce.support.Orders;
import com.sansam.commerce.support.StockDb;
import com.sansam.commerce.support.TestDealClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fair drops end to end against the real stock-worker: a waiting room (QUEUE) and a verifiable draw (DRAW), each to
 * its end (sold out, a unit coming back, a pass or a winner lapsing, the deal ending), exact in units.
 */
@QuarkusTest
class FairDropsTest {

    @jakarta.inject.Inject
    com.sansam.commerce.deal.service.QueueAdmission room;

    @jakarta.inject.Inject
    com.sansam.commerce.deal.service.Draws draws;

    private static final long PRICE = 3_450_000;
    private static final long DEAL_PRICE = 2_450_000;

    @AfterEach
    void realTime() {
        TestDealClock.reset();
    }

    private static Map<String, Object> fairDeal(long productId, String sku, int units, Map<String, Object> mode) {
        Instant now = TestDealClock.current();
        Map<String, Object> body = new HashMap<>(Map.of(
                "productId",
                productId,
                "lines",
                List.of(dealLine(sku, DEAL_PRICE, units)),
                "perBuyerLimit",
                1,
                "startsAt",
                now.plus(Duration.ofHours(1)).toString(),
                "endsAt",
                now.plus(Duration.ofHours(3)).toString(),
                "title",
                "드롭 " + UUID.randomUUID().toString().substring(0, 8)));
        body.putAll(mode);
        return body;
    }

    private static JsonPath place(String buyer, long dealId) {
        return as(buyer)
                .get("/api/v1/deals/" + dealId + "/queue")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static void awaitState(String buyer, long dealId, String state) {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertEquals(state, place(buyer, dealId).getString("state")));
    }

    @Test
    void badFairDropSettingsAreRefusedNamingTheField() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Settings bag", PRICE, 2, "", 1, 5);
        Instant now = TestDealClock.current();
        Object[][] cases = {
            {Map.of("mode", "QUEUE"), "ratePerSecond"},
            {Map.of("mode", "QUEUE", "ratePerSecond", 5, "passTtl", "PT1S"), "passTtl"},
            {Map.of("ratePerSecond", 5), "ratePerSecond"},
            {Map.of("mode", "DRAW"), "entriesOpenAt"},
            {
                Map.of(
                        "mode", "DRAW",
                        "entriesOpenAt", now.plus(Duration.ofHours(2)).toString(),
                        "entriesCloseAt", now.plus(Duration.ofHours(1)).toString()),
                "entriesCloseAt"
            },
            {
                Map.of(
                        "mode", "DRAW",
                        "entriesOpenAt", now.plus(Duration.ofHours(1)).toString(),
                        "entriesCloseAt", now.plus(Duration.ofHours(4)).toString()),
                "endsAt"
            },
        };
        for (Object[] bad : cases) {
            @SuppressWarnings("unchecked")
            Map<String, Object> mode = (Map<String, Object>) bad[0];
            problem(as(admin).body(fairDeal(bag.id(), bag.sku(), 1, mode)).post("/api/v1/admin/deals"), 400)
                    .then()
                    .body("field", equalTo(bad[1]));
        }
        Orders.awaitStock(admin, bag.sku(), 5, 0); // nothing set aside
    }

    /**
     * The waiting room from its pre-queue to its end: early arrivals shuffled at the start, let in at the rate and never
     * more than the units left; only a pass buys, once; sold out is told to everyone waiting at once; a unit that comes
     * back and a pass that lapses each let the next buyer in; the units stay exact.
     */
    @Test
    void aQueueDealShufflesItsPreQueueAndLetsBuyersInAsUnitsAllow() throws Exception {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Queued bag", PRICE, 2, "", 1, 10);
        String sku = bag.sku();
        long id = open(
                admin,
                fairDeal(
                        bag.id(),
                        sku,
                        2,
                        Map.of("mode", "QUEUE", "ratePerSecond", 5, "passTtl", "PT30S", "queueOpensBefore", "PT2H")));
        given().get("/api/v1/deals/" + id)
                .then()
                .body("mode", equalTo("QUEUE"))
                .body("queue.ratePerSecond", equalTo(5));

        problem(as(newUserSession()).post("/api/v1/deals/" + id + "/queue"), 403)
                .then()
                .body("type", equalTo("/problems/verification-required"));
        List<String> early = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String buyer = verifiedUserSession();
            as(buyer)
                    .post("/api/v1/deals/" + id + "/queue")
                    .then()
                    .statusCode(200)
                    .body("state", equalTo("pre-queue"));
            early.add(buyer);
        }
        as(early.get(0)).post("/api/v1/deals/" + id + "/queue").then().statusCode(200); // joining again: same place
        assertEquals(5, place(early.get(0), id).getInt("waiting"));
        problem(order(early.get(0), dealItem(sku, 1, DEAL_PRICE, id)), 409)
                .then()
                .body("type", equalTo("/problems/deal-not-started"));

        TestDealClock.advance(Duration.ofMinutes(61));
        // Shuffled at the start: the five early buyers hold places 1..5; two are let in (two units), no more.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            long admitted = early.stream()
                    .filter(b -> place(b, id).getString("state").equals("your-turn"))
                    .count();
            assertEquals(2, admitted);
        });
        // Replicas letting buyers in at the same moment change nothing: still two passes for two units.
        atOnce(6, () -> room.admitDue().await().indefinitely());
        assertEquals(2, admin(admin, id).getInt("stats.admitted"));
        Set<Integer> places = new HashSet<>();
        Map<Integer, String> byPlace = new HashMap<>();
        for (String buyer : early) {
            int at = place(buyer, id).getInt("place");
            places.add(at);
            byPlace.put(at, buyer);
        }
        assertEquals(Set.of(1, 2, 3, 4, 5), places);
        String late = verifiedUserSession();
        as(late).post("/api/v1/deals/" + id + "/queue")
                .then()
                .statusCode(200)
                .body("place", equalTo(6))
                .body("state", equalTo("waiting"))
                .body("ahead", equalTo(3));
        assertEquals("your-turn", place(byPlace.get(2), id).getString("state"));
        assertEquals("waiting", place(byPlace.get(3), id).getString("state"));

        // A waiting buyer cannot buy; a buyer let in can, once.
        problem(order(byPlace.get(3), dealItem(sku, 1, DEAL_PRICE, id)), 409)
                .then()
                .body("type", equalTo("/problems/not-admitted"));
        // A pass places one order, however many the buyer fires at once (each with a key of its own).
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        atOnce(
                8,
                () -> statuses.add(
                        order(byPlace.get(2), dealItem(sku, 1, DEAL_PRICE, id)).statusCode()));
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(7, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        List<String> orders = new ArrayList<>();
        for (int at = 1; at <= 2; at++) {
            if (at == 2) {
                String placed = as(byPlace.get(at))
                        .get("/api/v1/orders")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getString("items[0].orderId");
                Orders.awaitStatus(byPlace.get(at), placed, "STOCK_RESERVED");
                orders.add(placed);
                assertEquals("ordered", place(byPlace.get(at), id).getString("state"));
                continue;
            }
            String orderId = order(byPlace.get(at), dealItem(sku, 1, DEAL_PRICE, id))
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath()
                    .getString("orderId");
            Orders.awaitStatus(byPlace.get(at), orderId, "STOCK_RESERVED");
            orders.add(orderId);
            assertEquals("ordered", place(byPlace.get(at), id).getString("state"));
        }
        // Used passes buy nothing more (the replica that sold the last unit may answer "sold-out" first: true too).
        problem(order(byPlace.get(1), dealItem(sku, 1, DEAL_PRICE, id)), 409)
                .then()
                .body("type", anyOf(equalTo("/problems/not-admitted"), equalTo("/problems/sold-out")));

        // Sold out: everyone waiting hears it at once, on the live stream too, and keeps the place.
        List<String> events = new ArrayList<>();
        CompletableFuture<Void> heard = watchUntil(byPlace.get(5), id, "\"state\":\"sold-out\"", events);
        awaitState(byPlace.get(3), id, "sold-out");
        heard.get(20, TimeUnit.SECONDS);
        assertTrue(events.get(events.size() - 1).contains("\"place\":5"), events.toString());

        // A unit comes back (an unpaid order lapses): the next in line is let in, and only one.
        StockDb.expireNow(orders.get(0));
        Orders.awaitStatus(byPlace.get(1), orders.get(0), "EXPIRED");
        awaitState(byPlace.get(3), id, "your-turn");
        assertEquals("waiting", place(byPlace.get(4), id).getString("state")); // the unit is the pass holder's to buy
        Thread.sleep(500); // several admission ticks: still one pass for one unit
        assertEquals("waiting", place(byPlace.get(4), id).getString("state"));

        // The pass lapses unused: its unit goes to the next.
        TestDealClock.advance(Duration.ofSeconds(31));
        awaitState(byPlace.get(3), id, "pass-expired");
        awaitState(byPlace.get(4), id, "your-turn");
        problem(order(byPlace.get(3), dealItem(sku, 1, DEAL_PRICE, id)), 409)
                .then()
                .body("type", equalTo("/problems/not-admitted"));
        String fourth = order(byPlace.get(4), dealItem(sku, 1, DEAL_PRICE, id))
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("orderId");
        Orders.awaitStatus(byPlace.get(4), fourth, "STOCK_RESERVED");
        orders.add(fourth);

        JsonPath stats = admin(admin, id);
        assertEquals(6, stats.getInt("stats.queued"));
        assertEquals(4, stats.getInt("stats.admitted"));
        assertEquals(3, stats.getInt("stats.passesUsed"));
        given().get("/api/v1/deals/" + id).then().body("remaining", equalTo(0));
        Orders.awaitStock(admin, com.sansam.messages.StockCommands.poolSku(id, sku), 0, 2);

        as(admin).delete("/api/v1/admin/deals/" + id).then().statusCode(204);
        awaitState(byPlace.get(5), id, "ended");
        problem(as(verifiedUserSession()).post("/api/v1/deals/" + id + "/queue"), 409)
                .then()
                .body("type", equalTo("/problems/deal-ended"));
        assertNoDeadLetters(admin, id, orders);
        StockDb.assertLedgerBalanced();
    }

    /** Reads the buyer's queue stream until an event contains {@code until}; collects the events. */
    private static CompletableFuture<Void> watchUntil(String buyer, long dealId, String until, List<String> events)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(io.restassured.RestAssured.baseURI + ":"
                        + io.restassured.RestAssured.port + "/api/v1/deals/" + dealId + "/queue/stream"))
                .header("Cookie", "SESSION=" + buyer)
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<java.io.InputStream> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        return CompletableFuture.runAsync(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        synchronized (events) {
                            events.add(line);
                        }
                        if (line.contains(until)) {
                            return;
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * A draw from commitment to its end: entries in the window only (one per buyer, withdrawable), the seed revealed at
     * the close recomputes the published order and winners, winners get orders at the deal price, a winner who does
     * not pay passes the unit on exactly once, and the units stay exact.
     */
    @Test
    void aDrawIsVerifiableAndPassesAnUnpaidUnitOnOnce() throws Exception {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Drawn bag", PRICE, 2, "", 1, 10);
        String sku = bag.sku();
        Instant now = TestDealClock.current();
        long id = open(
                admin,
                fairDeal(
                        bag.id(),
                        sku,
                        2,
                        Map.of(
                                "mode",
                                "DRAW",
                                "entriesOpenAt",
                                now.plus(Duration.ofHours(1)).toString(),
                                "entriesCloseAt",
                                now.plus(Duration.ofHours(2)).toString(),
                                "payWithin",
                                "PT30M")));
        String commitment = given().get("/api/v1/deals/" + id + "/draw")
                .then()
                .statusCode(200)
                .extract()
                .path("commitment");
        assertEquals(64, commitment.length());
        String buyer0 = com.sansam.commerce.support.Api.verifiedBuyerWithAddress();
        problem(as(buyer0).body(Map.of("sku", sku)).put("/api/v1/deals/" + id + "/entry"), 409)
                .then()
                .body("type", equalTo("/problems/entries-not-open"));

        TestDealClock.advance(Duration.ofMinutes(61));
        problem(order(buyer0, dealItem(sku, 1, DEAL_PRICE, id)), 409)
                .then()
                .body("type", equalTo("/problems/draw-deal"));
        problem(as(verifiedUserSession()).body(Map.of("sku", sku)).put("/api/v1/deals/" + id + "/entry"), 400)
                .then()
                .body("field", equalTo("shippingAddress"));
        problem(as(newUserSession()).body(Map.of("sku", sku)).put("/api/v1/deals/" + id + "/entry"), 403);
        problem(as(buyer0).body(Map.of("sku", "NO-SUCH")).put("/api/v1/deals/" + id + "/entry"), 400)
                .then()
                .body("field", equalTo("sku"));
        Map<String, String> ticketOf = new HashMap<>();
        List<String> buyers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String buyer = i == 0 ? buyer0 : com.sansam.commerce.support.Api.verifiedBuyerWithAddress();
            String ticket = as(buyer)
                    .body(Map.of("sku", sku))
                    .put("/api/v1/deals/" + id + "/entry")
                    .then()
                    .statusCode(200)
                    .body("state", equalTo("entered"))
                    .extract()
                    .path("ticket");
            ticketOf.put(buyer, ticket);
            buyers.add(buyer);
        }
        // Entering again keeps the entry; a withdrawn entry is gone.
        as(buyer0)
                .body(Map.of("sku", sku))
                .put("/api/v1/deals/" + id + "/entry")
                .then()
                .body("ticket", equalTo(ticketOf.get(buyer0)));
        String leaver = buyers.remove(5);
        as(leaver).delete("/api/v1/deals/" + id + "/entry").then().statusCode(204);
        as(leaver).get("/api/v1/deals/" + id + "/entry").then().body("state", equalTo("not-entered"));
        given().get("/api/v1/deals/" + id + "/draw")
                .then()
                .body("entries", equalTo(5))
                .body("seed", org.hamcrest.Matchers.nullValue());

        TestDealClock.advance(Duration.ofMinutes(60)); // entries close: the draw
        await().atMost(Duration.ofSeconds(20))
                .until(() -> given().get("/api/v1/deals/" + id + "/draw").path("seed") != null);
        problem(as(leaver).body(Map.of("sku", sku)).put("/api/v1/deals/" + id + "/entry"), 409)
                .then()
                .body("type", equalTo("/problems/entries-closed"));
        JsonPath proof =
                given().get("/api/v1/deals/" + id + "/draw").then().extract().jsonPath();
        String seed = proof.getString("seed");
        assertEquals(commitment, DrawSeal.commitment(seed));
        List<String> published = proof.getList("order.ticket");
        assertEquals(
                DrawSeal.drawnOrder(
                        seed,
                        ticketOf.entrySet().stream()
                                .filter(e -> !e.getKey().equals(leaver))
                                .map(Map.Entry::getValue)
                                .toList()),
                published);
        assertEquals(List.of(true, true, false, false, false), proof.getList("order.offered"));

        Map<String, String> byTicket = new HashMap<>();
        buyers.forEach(b -> byTicket.put(ticketOf.get(b), b));
        String first = byTicket.get(published.get(0));
        String second = byTicket.get(published.get(1));
        String third = byTicket.get(published.get(2));
        String firstOrder = awaitWon(first, id);
        String secondOrder = awaitWon(second, id);
        as(third)
                .get("/api/v1/deals/" + id + "/entry")
                .then()
                .body("state", equalTo("in-line"))
                .body("ahead", equalTo(0));
        Orders.awaitStatus(first, firstOrder, "STOCK_RESERVED");
        as(first).get("/api/v1/orders/" + firstOrder).then().body("amount", equalTo((int) DEAL_PRICE));
        as(first)
                .body(Map.of("paymentKey", "pk_ok_" + firstOrder, "amount", DEAL_PRICE))
                .post("/api/v1/orders/" + firstOrder + "/payment")
                .then()
                .statusCode(200)
                .body("status", equalTo("PAID"));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> as(third)
                        .get("/api/v1/notifications")
                        .then()
                        .body("notifications.kind", org.hamcrest.Matchers.hasItem("DRAW_RESULT")));
        as(first)
                .get("/api/v1/notifications")
                .then()
                .body("notifications.kind", org.hamcrest.Matchers.hasItem("DRAW_WON"));

        // The second winner does not pay: the unit passes to the third, once.
        Orders.awaitStatus(second, secondOrder, "STOCK_RESERVED");
        StockDb.expireNow(secondOrder);
        Orders.awaitStatus(second, secondOrder, "EXPIRED");
        atOnce(6, () -> draws.passOn().await().indefinitely()); // as replicas would, beside this one's own tick
        String thirdOrder = awaitWon(third, id);
        Orders.awaitStatus(third, thirdOrder, "STOCK_RESERVED");
        assertEquals(
                "in-line",
                as(byTicket.get(published.get(3)))
                        .get("/api/v1/deals/" + id + "/entry")
                        .path("state"));
        assertEquals(3, admin(admin, id).getInt("stats.winners"));
        assertEquals(1, admin(admin, id).getInt("stats.paid"));

        // The deal ends: the unit of the unpaid third order is still held; the rest never oversold.
        TestDealClock.advance(Duration.ofHours(2));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertEquals(Integer.valueOf(0), admin(admin, id).get("lines[0].returned")));
        assertEquals(
                "not-selected",
                as(byTicket.get(published.get(4)))
                        .get("/api/v1/deals/" + id + "/entry")
                        .path("state"));
        assertEquals(3, admin(admin, id).getInt("stats.winners"));
        assertNoDeadLetters(admin, id, List.of(firstOrder, secondOrder, thirdOrder));
        StockDb.assertLedgerBalanced();
    }

    /** Runs {@code step} on {@code threads} threads at the same moment and waits for all. */
    private static void atOnce(int threads, Runnable step) throws Exception {
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                step.run();
            }));
        }
        go.countDown();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    /** Waits until the buyer's entry won and its order exists: answers the order id. */
    private static String awaitWon(String buyer, long dealId) {
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> as(buyer)
                                .get("/api/v1/deals/" + dealId + "/entry")
                                .then()
                                .extract()
                                .jsonPath(),
                        entry -> "won".equals(entry.getString("state")) && entry.getString("orderId") != null)
                .getString("orderId");
    }

    @Test
    void aStrangerSeesNoPlaceAndCannotJoinAnOpenDealsQueue() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Open bag", PRICE, 2, "", 1, 5);
        Instant now = TestDealClock.current();
        long id = open(
                admin,
                com.sansam.commerce.support.Deals.deal(
                        bag.id(),
                        List.of(dealLine(bag.sku(), DEAL_PRICE, 1)),
                        1,
                        now.plus(Duration.ofHours(1)),
                        now.plus(Duration.ofHours(2))));
        problem(as(verifiedUserSession()).post("/api/v1/deals/" + id + "/queue"), 409)
                .then()
                .body("type", equalTo("/problems/not-a-queue"));
        given().post("/api/v1/deals/" + id + "/queue").then().statusCode(401);
        problem(as(verifiedUserSession()).get("/api/v1/deals/" + id + "/queue"), 404);
        problem(as(verifiedUserSession()).body(Map.of("sku", bag.sku())).put("/api/v1/deals/" + id + "/entry"), 409)
                .then()
                .body("type", equalTo("/problems/not-a-draw"));
        assertNull(given().get("/api/v1/deals/" + id).path("queue"));
        assertNotNull(given().get("/api/v1/deals/" + id).path("mode"));
    }
}
