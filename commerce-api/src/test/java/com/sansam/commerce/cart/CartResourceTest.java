package com.sansam.commerce.cart;

import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.newUserSession;
import static com.sansam.commerce.support.Api.problem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CartResourceTest {

    @Test
    void cartArithmeticWithCurrentPricesAndFlags() {
        String admin = adminSession();
        String brand = Catalog.uniqueBrand();
        Created bag = Catalog.product(admin, brand, "Bag", 2_000_000, 2, "", 1, 5);
        Created scarf = Catalog.product(admin, brand, "Scarf", 690_000, 13, "", 1, 5);
        Created shoe = Catalog.product(admin, brand, "Shoe", 1_150_000, 9, "", 1, 0);
        Catalog.awaitAvailable(bag.id(), bag.sku(), 5);
        Catalog.awaitAvailable(scarf.id(), scarf.sku(), 5);

        String user = newUserSession();
        as(user).body(Map.of("sku", bag.sku(), "quantity", 1))
                .post("/api/v1/cart/items")
                .then()
                .statusCode(201);
        as(user).body(Map.of("sku", bag.sku(), "quantity", 1))
                .post("/api/v1/cart/items")
                .then()
                .statusCode(201)
                .body("lines.size()", equalTo(1))
                .body("lines[0].quantity", equalTo(2));
        as(user).body(Map.of("sku", scarf.sku(), "quantity", 3))
                .post("/api/v1/cart/items")
                .then()
                .statusCode(201);
        as(user).body(Map.of("sku", shoe.sku(), "quantity", 1))
                .post("/api/v1/cart/items")
                .then()
                .statusCode(201);

        as(user).get("/api/v1/cart")
                .then()
                .statusCode(200)
                .body("lines.size()", equalTo(3))
                .body("lines[0].unitPrice", equalTo(2_000_000))
                .body("lines[0].lineTotal", equalTo(4_000_000))
                .body("lines[1].lineTotal", equalTo(2_070_000))
                .body("lines[2].outOfStock", equalTo(true))
                .body("total", equalTo(6_070_000))
                .body("orderableLines", equalTo(2));

        // Today's price, and a retired product is flagged and leaves the total.
        as(admin)
                .body(Map.of("price", 2_100_000))
                .patch("/api/v1/admin/products/" + bag.id())
                .then()
                .statusCode(200);
        as(admin).delete("/api/v1/admin/products/" + scarf.id()).then().statusCode(204);
        as(user).get("/api/v1/cart")
                .then()
                .body("lines[0].lineTotal", equalTo(4_200_000))
                .body("lines[1].retired", equalTo(true))
                .body("total", equalTo(4_200_000));

        long itemId = as(user).get("/api/v1/cart").then().extract().jsonPath().getLong("lines[0].itemId");
        as(user).body(Map.of("quantity", 1))
                .patch("/api/v1/cart/items/" + itemId)
                .then()
                .statusCode(200)
                .body("total", equalTo(2_100_000));
        as(user).delete("/api/v1/cart/items/" + itemId).then().statusCode(204);
        as(user).get("/api/v1/cart").then().body("lines.size()", equalTo(2));
    }

    /** Ordering the whole cart: its lines at the prices the buyer saw, shipped to the address in the profile. */
    @Test
    void anOrderFromTheCartTakesItsLinesAtTheSeenPricesToTheProfileAddress() {
        String admin = adminSession();
        String brand = Catalog.uniqueBrand();
        Created bag = Catalog.product(admin, brand, "Cart bag", 2_000_000, 2, "", 1, 5);
        Created scarf = Catalog.product(admin, brand, "Cart scarf", 690_000, 13, "", 1, 5);
        Catalog.awaitAvailable(bag.id(), bag.sku(), 5);
        Catalog.awaitAvailable(scarf.id(), scarf.sku(), 5);
        String user = newUserSession();
        as(user).body(Map.of("sku", bag.sku(), "quantity", 2))
                .post("/api/v1/cart/items")
                .then()
                .statusCode(201);
        as(user).body(Map.of("sku", scarf.sku(), "quantity", 1))
                .post("/api/v1/cart/items")
                .then()
                .statusCode(201);

        // No address given and none in the profile yet: 400, no order.
        problem(
                        as(user).header(
                                        "Idempotency-Key",
                                        java.util.UUID.randomUUID().toString())
                                .body(Map.of(
                                        "fromCart",
                                        true,
                                        "cartPrices",
                                        Map.of(bag.sku(), 2_000_000, scarf.sku(), 690_000)))
                                .post("/api/v1/orders"),
                        400)
                .then()
                .body("field", equalTo("shippingAddress"));
        // A price missing from what the buyer saw: 400.
        problem(
                        as(user).header(
                                        "Idempotency-Key",
                                        java.util.UUID.randomUUID().toString())
                                .body(Map.of("fromCart", true, "cartPrices", Map.of(bag.sku(), 2_000_000)))
                                .post("/api/v1/orders"),
                        400)
                .then()
                .body("field", equalTo("cartPrices"));
        as(user).get("/api/v1/orders").then().body("items", empty());

        as(user).body(Map.of(
                        "shippingAddress",
                        Map.of(
                                "recipient",
                                "이럭셔리",
                                "phone",
                                "010-9999-0000",
                                "zipCode",
                                "06000",
                                "address1",
                                "서울 강남구 압구정로 1",
                                "address2",
                                "101호")))
                .patch("/api/v1/users/me")
                .then()
                .statusCode(200);
        String orderId = as(user).header(
                        "Idempotency-Key", java.util.UUID.randomUUID().toString())
                .body(Map.of("fromCart", true, "cartPrices", Map.of(bag.sku(), 2_000_000, scarf.sku(), 690_000)))
                .post("/api/v1/orders")
                .then()
                .statusCode(201)
                .body("amount", equalTo(4_690_000))
                .body("lines.size()", equalTo(2))
                .body("lines[0].sku", equalTo(bag.sku()))
                .body("lines[0].quantity", equalTo(2))
                .body("lines[1].sku", equalTo(scarf.sku()))
                .extract()
                .jsonPath()
                .getString("orderId");
        as(user).get("/api/v1/orders/" + orderId)
                .then()
                .statusCode(200)
                .body("shippingAddress.zipCode", equalTo("06000"))
                .body("lines.size()", equalTo(2));
        com.sansam.commerce.support.Orders.awaitStatus(user, orderId, "STOCK_RESERVED");
    }

    @Test
    void badQuantitiesAndUnknownSkusAre400AndChangeNothing() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 2_000_000, 2);
        String user = newUserSession();
        problem(as(user).body(Map.of("sku", bag.sku(), "quantity", 0)).post("/api/v1/cart/items"), 400)
                .then()
                .body("field", equalTo("quantity"));
        problem(as(user).body(Map.of("sku", bag.sku(), "quantity", 11)).post("/api/v1/cart/items"), 400)
                .then()
                .body("field", equalTo("quantity"));
        problem(as(user).body(Map.of("sku", "NO-SUCH-SKU", "quantity", 1)).post("/api/v1/cart/items"), 400)
                .then()
                .body("field", equalTo("sku"));
        problem(as(user).body(Map.of("sku", bag.sku(), "quantity", "two")).post("/api/v1/cart/items"), 400)
                .then()
                .body("field", equalTo("quantity"));
        as(user).get("/api/v1/cart").then().body("lines", empty());

        as(user).body(Map.of("sku", bag.sku(), "quantity", 8))
                .post("/api/v1/cart/items")
                .then()
                .statusCode(201);
        problem(as(user).body(Map.of("sku", bag.sku(), "quantity", 3)).post("/api/v1/cart/items"), 400)
                .then()
                .body("field", equalTo("quantity"));
        long itemId = as(user).get("/api/v1/cart")
                .then()
                .body("lines[0].quantity", equalTo(8))
                .extract()
                .jsonPath()
                .getLong("lines[0].itemId");
        problem(as(user).body(Map.of("quantity", 12)).patch("/api/v1/cart/items/" + itemId), 400);
        problem(given().get("/api/v1/cart"), 401);
    }

    @Test
    void anotherUsersCartItemIsNotFound() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 2_000_000, 2);
        String alice = newUserSession();
        String bob = newUserSession();
        long itemId = as(alice)
                .body(Map.of("sku", bag.sku(), "quantity", 1))
                .post("/api/v1/cart/items")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("lines[0].itemId");

        problem(as(bob).body(Map.of("quantity", 5)).patch("/api/v1/cart/items/" + itemId), 404);
        problem(as(bob).delete("/api/v1/cart/items/" + itemId), 404);
        as(bob).get("/api/v1/cart").then().body("lines", empty());
        as(alice).get("/api/v1/cart").then().body("lines[0].quantity", equalTo(1));
    }
}
