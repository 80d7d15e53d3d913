package com.sansam.commerce.catalog;

import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.newUserSession;
import static com.sansam.commerce.support.Api.problem;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.commerce.catalog.service.Popularity;
import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import com.sansam.commerce.support.Orders;
import com.sansam.commerce.support.StockWorkerProcess;
import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.runtime.testing.TestBroker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CatalogResourceTest {

    private static final long TOTE = 2;
    private static final long SHOULDER = 3;
    private static final long COATS = 6;

    private static TestBroker broker;
    private static TestBroker.Tap commands;

    @Inject
    Popularity popularity;

    @BeforeAll
    static void connect() {
        broker = new TestBroker();
        commands = broker.tap(Messages.STOCK_COMMANDS_EXCHANGE);
    }

    @AfterAll
    static void disconnect() {
        commands.close();
        broker.close();
    }

    @Test
    void productRoutesAreForAdminsOnly() {
        Map<String, Object> body = Map.of(
                "name",
                "x",
                "brand",
                "y",
                "categoryId",
                TOTE,
                "price",
                1000,
                "options",
                List.of(Map.of("sku", Catalog.uniqueSku(), "initialStock", 1)));
        problem(given().contentType("application/json").body(body).post("/api/v1/admin/products"), 401);
        String user = newUserSession();
        problem(as(user).body(body).post("/api/v1/admin/products"), 403);
        problem(as(user).get("/api/v1/admin/products/1"), 403);
        problem(as(user).delete("/api/v1/admin/products/1"), 403);
        problem(as(user).body(Map.of("delta", 1, "reason", "r")).post("/api/v1/admin/skus/ABC/stock"), 403);
    }

    @Test
    void registeringSendsInitialStockToTheStockWorkerThroughTheOutbox() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "레더 토트백", 3_200_000, TOTE, "송아지 가죽", 2);
        for (String sku : bag.skus()) {
            Envelope adjust = commands.awaitOne("AdjustStock", e -> sku.equals(e.aggregateId()));
            assertEquals(3, adjust.payload().get("delta").asInt());
        }
        as(admin)
                .get("/api/v1/admin/products/" + bag.id())
                .then()
                .statusCode(200)
                .body("options.sku", contains(bag.skus().toArray()))
                .body("status", equalTo("ACTIVE"));
    }

    @Test
    void badProductsAreRefusedAndNothingIsWritten() {
        String admin = adminSession();
        String brand = Catalog.uniqueBrand();
        String sku = Catalog.uniqueSku();
        Map<String, Object> option = Map.of("sku", sku, "initialStock", 1);
        problem(
                        as(admin)
                                .body(Map.of(
                                        "brand", brand, "categoryId", TOTE, "price", 1000, "options", List.of(option)))
                                .post("/api/v1/admin/products"),
                        400)
                .then()
                .body("field", equalTo("name"));
        problem(
                        as(admin)
                                .body(Map.of(
                                        "name",
                                        "n",
                                        "brand",
                                        brand,
                                        "categoryId",
                                        999,
                                        "price",
                                        1000,
                                        "options",
                                        List.of(option)))
                                .post("/api/v1/admin/products"),
                        400)
                .then()
                .body("field", equalTo("categoryId"));
        problem(
                        as(admin)
                                .body(Map.of(
                                        "name",
                                        "n",
                                        "brand",
                                        brand,
                                        "categoryId",
                                        TOTE,
                                        "price",
                                        -5,
                                        "options",
                                        List.of(option)))
                                .post("/api/v1/admin/products"),
                        400)
                .then()
                .body("field", equalTo("price"));
        problem(
                        as(admin)
                                .body(Map.of(
                                        "name",
                                        "n",
                                        "brand",
                                        brand,
                                        "categoryId",
                                        TOTE,
                                        "price",
                                        1000,
                                        "options",
                                        List.of()))
                                .post("/api/v1/admin/products"),
                        400)
                .then()
                .body("field", equalTo("options"));
        problem(
                        as(admin)
                                .body(Map.of(
                                        "name",
                                        "n",
                                        "brand",
                                        brand,
                                        "categoryId",
                                        TOTE,
                                        "price",
                                        1000,
                                        "options",
                                        List.of(Map.of("sku", "bad sku!", "initialStock", 1))))
                                .post("/api/v1/admin/products"),
                        400)
                .then()
                .body("field", equalTo("options[0].sku"));
        given().queryParam("brand", brand).get("/api/v1/products").then().body("items", empty());

        Created first = Catalog.product(admin, brand, "first", 1000, TOTE);
        problem(
                as(admin)
                        .body(Map.of(
                                "name",
                                "dup",
                                "brand",
                                brand,
                                "categoryId",
                                TOTE,
                                "price",
                                1000,
                                "options",
                                List.of(Map.of("sku", first.sku(), "initialStock", 1))))
                        .post("/api/v1/admin/products"),
                409);
        given().queryParam("brand", brand).get("/api/v1/products").then().body("items.size()", equalTo(1));
    }

    @Test
    void searchFindsPartsOfKoreanWordsBrandsAndDescriptionWords() {
        String admin = adminSession();
        String brand = Catalog.uniqueBrand();
        Created tote = Catalog.product(admin, brand, "레더 토트백", 3_200_000, TOTE, "부드러운 카프스킨 데일리 가방", 1);
        Created coat = Catalog.product(admin, brand, "캐시미어 코트", 5_900_000, COATS, "이탈리아 제작 double-faced 코트", 1);

        assertTrue(ids(given().queryParam("q", "토트").queryParam("brand", brand)).contains(tote.id()));
        assertTrue(ids(given().queryParam("q", brand.toUpperCase())).containsAll(List.of(tote.id(), coat.id())));
        List<Long> byDescription = ids(given().queryParam("q", "카프스킨").queryParam("brand", brand));
        assertEquals(List.of(tote.id()), byDescription);
        assertEquals(List.of(coat.id()), ids(given().queryParam("q", "이탈리아 코트").queryParam("brand", brand)));
        assertEquals(List.of(), ids(given().queryParam("q", "스니커즈").queryParam("brand", brand)));
        // Wildcards in the query are plain characters.
        assertEquals(List.of(), ids(given().queryParam("q", "%").queryParam("brand", brand)));
    }

    @Test
    void everySortOrderAndThePriceAndCategoryFilters() throws Throwable {
        String admin = adminSession();
        String brand = Catalog.uniqueBrand();
        Created cheap = Catalog.product(admin, brand, "A", 1_000_000, TOTE);
        Created dear = Catalog.product(admin, brand, "B", 9_000_000, SHOULDER);
        Created middle = Catalog.product(admin, brand, "C", 5_000_000, COATS);

        assertEquals(
                List.of(middle.id(), dear.id(), cheap.id()),
                ids(given().queryParam("brand", brand).queryParam("sort", "newest")));
        assertEquals(
                List.of(cheap.id(), middle.id(), dear.id()),
                ids(given().queryParam("brand", brand).queryParam("sort", "price_asc")));
        assertEquals(
                List.of(dear.id(), middle.id(), cheap.id()),
                ids(given().queryParam("brand", brand).queryParam("sort", "price_desc")));
        assertEquals(
                List.of(middle.id(), dear.id()),
                ids(given().queryParam("brand", brand).queryParam("minPrice", 2_000_000)));
        assertEquals(
                List.of(middle.id(), cheap.id()),
                ids(given().queryParam("brand", brand).queryParam("maxPrice", 5_000_000)));
        // The "bags" category includes its tote and shoulder sub-categories.
        assertEquals(
                List.of(dear.id(), cheap.id()),
                ids(given().queryParam("brand", brand).queryParam("category", "bags")));
        assertEquals(List.of(cheap.id()), ids(given().queryParam("brand", brand).queryParam("category", "bags-tote")));

        // popular: recent views and wishlist adds, summed from Redis.
        String user = newUserSession();
        as(user).put("/api/v1/wishlist/" + cheap.id()).then().statusCode(204);
        for (int i = 0; i < 3; i++) {
            given().get("/api/v1/products/" + middle.id()).then().statusCode(200);
        }
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(popularity::sync);
        assertEquals(
                List.of(cheap.id(), middle.id(), dear.id()),
                ids(given().queryParam("brand", brand).queryParam("sort", "popular")));

        // rating: reviews come with the review feature; the average is a generated column.
        Ratings.set(dear.id(), 5, 1);
        Ratings.set(cheap.id(), 7, 2);
        assertEquals(
                List.of(dear.id(), cheap.id(), middle.id()),
                ids(given().queryParam("brand", brand).queryParam("sort", "rating")));
        problem(given().queryParam("sort", "cheapest").get("/api/v1/products"), 400)
                .then()
                .body("field", equalTo("sort"));
        problem(given().queryParam("size", 101).get("/api/v1/products"), 400)
                .then()
                .body("field", equalTo("size"));
    }

    @Test
    void keysetPagesNeitherRepeatNorSkipWhileProductsAreAdded() {
        String admin = adminSession();
        String brand = Catalog.uniqueBrand();
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(Catalog.product(admin, brand, "P" + i, 1_000_000 + (i % 3) * 1000, TOTE)
                    .id());
        }
        for (String sort : List.of("newest", "price_asc", "price_desc")) {
            Set<Long> seen = new HashSet<>();
            List<Long> order = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                var request = given().queryParam("brand", brand)
                        .queryParam("sort", sort)
                        .queryParam("size", 2);
                if (cursor != null) {
                    request.queryParam("cursor", cursor);
                }
                JsonPath page = request.get("/api/v1/products")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
                for (Long id : page.getList("items.id", Long.class)) {
                    assertTrue(seen.add(id), sort + ": " + id + " repeated");
                    order.add(id);
                }
                cursor = page.getString("nextCursor");
                if (pages++ == 1) {
                    Catalog.product(admin, brand, "late-" + sort, 1_000_500, TOTE); // added while paging
                }
            } while (cursor != null);
            assertTrue(seen.containsAll(created), sort + ": missing " + created + " in " + order);
        }
        problem(given().queryParam("cursor", "garbage").get("/api/v1/products"), 400)
                .then()
                .body("field", equalTo("cursor"));
    }

    @Test
    void availabilityComesFromStockEventsAndDrivesTheInStockFilter() {
        String admin = adminSession();
        String brand = Catalog.uniqueBrand();
        Created product = Catalog.product(admin, brand, "Tote", 2_000_000, TOTE, "", 2, 4);
        Created soldOut = Catalog.product(admin, brand, "Other", 2_000_000, TOTE, "", 1, 0);
        // The real stock-worker applies the initial stock and announces it; the catalogue shows it.
        Catalog.awaitAvailable(product.id(), product.skus().get(1), 4);
        given().get("/api/v1/products/" + product.id()).then().body("options[1].inStock", equalTo(true));
        assertEquals(
                List.of(product.id()), ids(given().queryParam("brand", brand).queryParam("inStock", true)));
        assertTrue(ids(given().queryParam("brand", brand)).contains(soldOut.id()));

        // A restock travels admin -> outbox -> stock-worker -> StockChanged -> catalogue.
        as(admin)
                .body(Map.of("delta", 2, "reason", "delivery"))
                .post("/api/v1/admin/skus/" + soldOut.sku() + "/stock")
                .then()
                .statusCode(202);
        Catalog.awaitAvailable(soldOut.id(), soldOut.sku(), 2);
        assertTrue(ids(given().queryParam("brand", brand).queryParam("inStock", true))
                .contains(soldOut.id()));
    }

    @Test
    void anAdminEditShowsAtOnceDespiteTheCache() {
        String admin = adminSession();
        String brand = Catalog.uniqueBrand();
        Created product = Catalog.product(admin, brand, "Shoulder", 3_000_000, SHOULDER);
        given().get("/api/v1/products/" + product.id()).then().body("price", equalTo(3_000_000));
        given().queryParam("category", "bags-shoulder")
                .get("/api/v1/products")
                .then()
                .body("items.id", hasItem((int) product.id()));

        as(admin)
                .body(Map.of(
                        "price",
                        3_500_000,
                        "name",
                        "Shoulder II",
                        "addOptions",
                        List.of(Map.of("sku", Catalog.uniqueSku(), "color", "레드", "initialStock", 2))))
                .patch("/api/v1/admin/products/" + product.id())
                .then()
                .statusCode(200)
                .body("options.size()", equalTo(2));

        given().get("/api/v1/products/" + product.id())
                .then()
                .body("price", equalTo(3_500_000))
                .body("name", equalTo("Shoulder II"))
                .body("options.size()", equalTo(2));
        given().queryParam("category", "bags-shoulder")
                .get("/api/v1/products")
                .then()
                .body("items.find { it.id == " + product.id() + " }.price", equalTo(3_500_000));
    }

    @Test
    void aRetiredProductLeavesTheShopButNotTheAdminView() {
        String admin = adminSession();
        String brand = Catalog.uniqueBrand();
        Created product = Catalog.product(admin, brand, "Old", 1_000_000, TOTE);
        given().get("/api/v1/products/" + product.id()).then().statusCode(200);
        as(admin).delete("/api/v1/admin/products/" + product.id()).then().statusCode(204);
        as(admin).delete("/api/v1/admin/products/" + product.id()).then().statusCode(204);

        problem(given().get("/api/v1/products/" + product.id()), 404);
        given().queryParam("brand", brand).get("/api/v1/products").then().body("items", empty());
        as(admin)
                .get("/api/v1/admin/products/" + product.id())
                .then()
                .statusCode(200)
                .body("status", equalTo("RETIRED"));
        problem(as(admin).delete("/api/v1/admin/products/999999999"), 404);
    }

    @Test
    void restockIsACommandToTheStockWorkerAndItsOutcomeIsShown() {
        String admin = adminSession();
        Created product = Catalog.product(admin, Catalog.uniqueBrand(), "Loafer", 1_290_000, 10); // 3 units
        String location = as(admin)
                .body(Map.of("delta", 5, "reason", "new delivery"))
                .post("/api/v1/admin/skus/" + product.sku() + "/stock")
                .then()
                .statusCode(202)
                .body("outcome", equalTo("REQUESTED"))
                .body("delta", equalTo(5))
                .extract()
                .header("Location");
        commands.await(
                "AdjustStock",
                e -> product.sku().equals(e.aggregateId())
                        && e.payload().get("delta").asInt() == 5,
                1,
                Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as(admin)
                        .get(location)
                        .then()
                        .statusCode(200)
                        .body("outcome", equalTo("APPLIED"))
                        .body("available", equalTo(8))
                        .body("decidedAt", notNullValue()));
        // The product's page lists it, and the initial stock, each with its outcome.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as(admin)
                        .get("/api/v1/admin/products/" + product.id() + "/stock-adjustments")
                        .then()
                        .statusCode(200)
                        .body("outcome", contains("APPLIED", "APPLIED"))
                        .body("reason", contains("new delivery", "initial stock")));
        problem(as(admin).body(Map.of("delta", 5, "reason", "x")).post("/api/v1/admin/skus/NO-SUCH-SKU/stock"), 404);
        problem(
                as(admin)
                        .body(Map.of("delta", 0, "reason", "x"))
                        .post("/api/v1/admin/skus/" + product.sku() + "/stock"),
                400);
        problem(as(admin).body(Map.of("delta", 5)).post("/api/v1/admin/skus/" + product.sku() + "/stock"), 400)
                .then()
                .body("field", equalTo("reason"));
        problem(as(newUserSession()).get("/api/v1/admin/products/" + product.id() + "/stock-adjustments"), 403);
        problem(as(admin).get("/api/v1/admin/products/999999999/stock-adjustments"), 404);
    }

    /**
     * A cut below what this service already knows is available is refused at once (409, nothing sent). One that only
     * the stock-worker can see is impossible (units reserved meanwhile) is refused there: the admin sees REFUSED and
     * why, the stock is unchanged, and nothing lands among the dead letters of either service.
     */
    @Test
    void aCutBelowTheStockIsRefusedAtOnceOrByTheStockWorkerNeverDeadLettered() {
        String admin = adminSession();
        Created product = Catalog.product(admin, Catalog.uniqueBrand(), "Cut bag", 900_000, 2, "", 1, 2);
        Orders.awaitStock(admin, product.sku(), 2, 0);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as(admin)
                        .get("/api/v1/products/" + product.id())
                        .then()
                        .statusCode(200)
                        .body("options[0].available", equalTo(2)));
        problem(
                        as(admin)
                                .body(Map.of("delta", -3, "reason", "damaged"))
                                .post("/api/v1/admin/skus/" + product.sku() + "/stock"),
                        409)
                .then()
                .body("type", equalTo("/problems/stock-too-low"))
                .body("extra.available", equalTo(2));

        // Two cuts that this service's view allows (2 available), decided by the stock-worker in order once it is back:
        // the first takes both units, the second would leave -1 and is refused.
        StockWorkerProcess.kill();
        String first;
        String second;
        try {
            first = cut(admin, product.sku(), -2);
            second = cut(admin, product.sku(), -1);
        } finally {
            StockWorkerProcess.startProcess();
        }
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> as(admin)
                        .get(first)
                        .then()
                        .statusCode(200)
                        .body("outcome", equalTo("APPLIED"))
                        .body("available", equalTo(0)));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as(admin)
                        .get(second)
                        .then()
                        .statusCode(200)
                        .body("outcome", equalTo("REFUSED"))
                        .body("available", equalTo(0))
                        .body("refusal", containsString("-1")));
        Orders.awaitStock(admin, product.sku(), 0, 0);
        as(admin).get("/api/v1/admin/dead-letters").then().statusCode(200).body("type", not(hasItem("AdjustStock")));
        given().cookie("SESSION", admin)
                .get(StockWorkerProcess.baseUrl() + "/api/v1/admin/dead-letters")
                .then()
                .statusCode(200)
                .body("type", not(hasItem("AdjustStock")));
    }

    /** Asks for a cut and answers the adjustment's location. */
    private static String cut(String admin, String sku, int delta) {
        return as(admin)
                .body(Map.of("delta", delta, "reason", "damaged"))
                .post("/api/v1/admin/skus/" + sku + "/stock")
                .then()
                .statusCode(202)
                .extract()
                .header("Location");
    }

    /** "addOptions": [] adds nothing and changes nothing else (it once failed on an empty list of writes). */
    @Test
    void anEmptyListOfOptionsToAddChangesNothing() {
        String admin = adminSession();
        Created product = Catalog.product(admin, Catalog.uniqueBrand(), "Clutch", 700_000, 3);
        as(admin)
                .body(Map.of("addOptions", List.of()))
                .patch("/api/v1/admin/products/" + product.id())
                .then()
                .statusCode(200)
                .body("options.sku", contains(product.sku()));
    }

    @Test
    void categoriesFormATree() {
        given().get("/api/v1/categories")
                .then()
                .statusCode(200)
                .body("find { it.slug == 'bags' }.children.slug", hasItem("bags-tote"))
                .body("slug", not(hasItem("bags-tote")));
    }

    private static List<Long> ids(io.restassured.specification.RequestSpecification request) {
        return request.get("/api/v1/products")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.id", Long.class);
    }
}
