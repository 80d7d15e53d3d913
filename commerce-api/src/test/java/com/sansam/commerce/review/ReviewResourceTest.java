package com.sansam.commerce.review;

import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.newUserSession;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import com.sansam.commerce.support.Orders;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reviews by buyers only, one per purchased line, and a rating aggregate that survives edits and deletes. */
@QuarkusTest
class ReviewResourceTest {

    @Test
    void onlyABuyerReviewsOncePerPurchaseAndOnlyTheAuthorEdits() {
        String admin = adminSession();
        Created watch = Catalog.product(admin, Catalog.uniqueBrand(), "오토매틱 워치", 9_800_000, 2, "", 1, 4);
        String sku = watch.skus().get(0);
        String buyer = newUserSession();
        String stranger = newUserSession();

        as(stranger)
                .body(review(5, "좋아요"))
                .post("/api/v1/products/" + watch.id() + "/reviews")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().contentType("application/json")
                .body(review(5, "익명"))
                .post("/api/v1/products/" + watch.id() + "/reviews")
                .then()
                .statusCode(401);

        Orders.paid(buyer, sku, 1, 9_800_000);
        as(buyer)
                .body(Map.of("rating", 6, "title", "x", "body", "y"))
                .post("/api/v1/products/" + watch.id() + "/reviews")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        int reviewId = as(buyer)
                .body(review(4, "묵직하고 좋습니다"))
                .post("/api/v1/products/" + watch.id() + "/reviews")
                .then()
                .statusCode(201)
                .body("rating", equalTo(4))
                .body("authorName", equalTo("김산삼"))
                .extract()
                .path("id");
        // one purchase, one review
        as(buyer)
                .body(review(5, "또 씁니다"))
                .post("/api/v1/products/" + watch.id() + "/reviews")
                .then()
                .statusCode(409);

        as(stranger)
                .body(Map.of("rating", 1))
                .patch("/api/v1/reviews/" + reviewId)
                .then()
                .statusCode(403);
        as(stranger).delete("/api/v1/reviews/" + reviewId).then().statusCode(403);
        as(buyer)
                .body(Map.of("rating", 2, "title", "다시 보니 아쉽네요"))
                .patch("/api/v1/reviews/" + reviewId)
                .then()
                .statusCode(200)
                .body("rating", equalTo(2))
                .body("title", equalTo("다시 보니 아쉽네요"));
        as(buyer).delete("/api/v1/reviews/999999999").then().statusCode(404);

        // a second purchase may be reviewed too
        Orders.paid(buyer, sku, 1, 9_800_000);
        as(buyer)
                .body(review(5, "두 번째 구매"))
                .post("/api/v1/products/" + watch.id() + "/reviews")
                .then()
                .statusCode(201);
        given().get("/api/v1/products/" + watch.id() + "/reviews")
                .then()
                .statusCode(200)
                .body("ratingCount", equalTo(2))
                .body("ratingAverage", equalTo(3.5f))
                .body("reviews.title", contains("두 번째 구매", "다시 보니 아쉽네요"));

        // admins may delete any review; the aggregate follows
        as(admin).delete("/api/v1/reviews/" + reviewId).then().statusCode(204);
        given().get("/api/v1/products/" + watch.id())
                .then()
                .statusCode(200)
                .body("ratingCount", equalTo(1))
                .body("ratingAvg", equalTo(5.0f));
    }

    @Test
    void aCancelledPurchaseGivesNoRightToReview() {
        String admin = adminSession();
        Created ring = Catalog.product(admin, Catalog.uniqueBrand(), "골드 링", 2_100_000, 2, "", 1, 2);
        String buyer = newUserSession();
        String orderId = Orders.paid(buyer, ring.skus().get(0), 1, 2_100_000);
        as(buyer)
                .body(Map.of("reason", "단순 변심"))
                .post("/api/v1/orders/" + orderId + "/cancel")
                .then()
                .statusCode(200);
        as(buyer)
                .body(review(5, "취소했지만"))
                .post("/api/v1/products/" + ring.id() + "/reviews")
                .then()
                .statusCode(403);
    }

    @Test
    void reviewsPageByRatingWithACursor() {
        String admin = adminSession();
        String brand = Catalog.uniqueBrand();
        Created bag = Catalog.product(admin, brand, "미니 백", 1_500_000, 2, "", 1, 5);
        String sku = bag.skus().get(0);
        int[] ratings = {3, 5, 1};
        for (int rating : ratings) {
            String buyer = newUserSession();
            Orders.paid(buyer, sku, 1, 1_500_000);
            as(buyer)
                    .body(review(rating, "별 " + rating))
                    .post("/api/v1/products/" + bag.id() + "/reviews")
                    .then()
                    .statusCode(201);
        }
        String cursor = given().queryParam("sort", "rating")
                .queryParam("size", 2)
                .get("/api/v1/products/" + bag.id() + "/reviews")
                .then()
                .statusCode(200)
                .body("reviews.rating", contains(5, 3))
                .body("nextCursor", notNullValue())
                .extract()
                .path("nextCursor");
        given().queryParam("sort", "rating")
                .queryParam("size", 2)
                .queryParam("cursor", cursor)
                .get("/api/v1/products/" + bag.id() + "/reviews")
                .then()
                .statusCode(200)
                .body("reviews.rating", contains(1))
                .body("nextCursor", nullValue());
        // listings show the aggregate: (3 + 5 + 1) / 3
        given().queryParam("brand", brand)
                .queryParam("sort", "rating")
                .get("/api/v1/products")
                .then()
                .statusCode(200)
                .body("items[0].ratingCount", equalTo(3))
                .body("items[0].ratingAvg", equalTo(3.0f));
        given().queryParam("sort", "stars")
                .get("/api/v1/products/" + bag.id() + "/reviews")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/v1/products/999999999/reviews").then().statusCode(404);
    }

    private static Map<String, Object> review(int rating, String title) {
        return Map.of("rating", rating, "title", title, "body", "본문: " + title);
    }
}
