package com.sansam.commerce.wishlist;

import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.newUserSession;
import static com.sansam.commerce.support.Api.problem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WishlistResourceTest {

    @Test
    void addingIsIdempotentAndTheCountStaysExact() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "Bag", 2_000_000, 2);
        Created coat = Catalog.product(admin, Catalog.uniqueBrand(), "Coat", 5_000_000, 6);
        String alice = newUserSession();
        String bob = newUserSession();

        as(alice).put("/api/v1/wishlist/" + bag.id()).then().statusCode(204);
        as(alice).put("/api/v1/wishlist/" + bag.id()).then().statusCode(204);
        as(alice).put("/api/v1/wishlist/" + coat.id()).then().statusCode(204);
        as(bob).put("/api/v1/wishlist/" + bag.id()).then().statusCode(204);
        given().get("/api/v1/products/" + bag.id()).then().body("wishlistCount", equalTo(2));

        as(alice).get("/api/v1/wishlist").then().statusCode(200).body("id", contains((int) coat.id(), (int) bag.id()));
        as(alice).delete("/api/v1/wishlist/" + bag.id()).then().statusCode(204);
        as(alice).delete("/api/v1/wishlist/" + bag.id()).then().statusCode(204);
        given().get("/api/v1/products/" + bag.id()).then().body("wishlistCount", equalTo(1));
        as(alice).get("/api/v1/wishlist").then().body("id", contains((int) coat.id()));
        as(bob).get("/api/v1/wishlist").then().body("id", contains((int) bag.id()));
    }

    @Test
    void unknownProductsAndAnonymousCallersAreRefused() {
        String user = newUserSession();
        problem(as(user).put("/api/v1/wishlist/999999999"), 404);
        problem(given().put("/api/v1/wishlist/1"), 401);
        problem(given().get("/api/v1/wishlist"), 401);
        as(user).get("/api/v1/wishlist").then().body("$", empty());
    }
}
