package com.sansam.commerce.media;

import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.newUserSession;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.commerce.media.service.ImageJobs;
import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import com.sansam.commerce.support.Orders;
import com.sansam.commerce.support.TestS3;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Product and review images against a real S3 server (S3Proxy): presigned upload straight to storage, confirm by
 * the file's bytes, stable links, thumbnails made off the request path, order, delete, and every refusal leaving
 * nothing behind.
 */
@QuarkusTest
class ImageResourceTest {

    /** A 1×1 lossless WebP (the well-known feature-detection image). */
    private static final byte[] WEBP = Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    ImageJobs jobs;

    @Inject
    Pool pool;

    @Inject
    com.sansam.commerce.media.demo.DemoPictures demoPictures;

    /**
     * The demo's pictures go through the pipeline as an admin's upload: stored, measured, listed first, thumbnailed;
     * each category gets its own drawing, in the option's colour, on the same backdrop.
     */
    @Test
    void theDemoPicturesGoThroughTheImagePipeline() throws Exception {
        String admin = com.sansam.commerce.support.Api.adminSession();
        Created watch = Catalog.product(admin, Catalog.uniqueBrand(), "데모 시계", 9_900_000, 15, "", 1, 3);
        long adminId =
                as(admin).get("/api/v1/users/me").then().extract().jsonPath().getLong("id");
        java.util.concurrent.CompletableFuture.runAsync(() -> demoPictures.upload(
                        watch.id(), 15, "블랙", new com.sansam.commerce.media.service.ImageService.Actor(adminId, true)))
                .get(60, java.util.concurrent.TimeUnit.SECONDS);
        String link =
                given().get("/api/v1/products/" + watch.id()).then().extract().path("imageUrls[0]");
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(follow(link)));
        assertEquals(1200, picture.getWidth());
        int corner = picture.getRGB(5, 5) & 0xFFFFFF;
        int middle = picture.getRGB(600, 580) & 0xFFFFFF; // the dial, not the backdrop
        assertTrue(corner != middle, "a drawing, not an empty backdrop");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> TestS3.keys().stream()
                        .anyMatch(key -> key.startsWith("thumbnails/products/" + watch.id() + "/")));
        assertEquals(
                400,
                ImageIO.read(new ByteArrayInputStream(follow(link + "/thumbnail")))
                        .getWidth());
        // every category of the demo draws something different
        java.util.Set<Integer> sizes = new java.util.HashSet<>();
        for (long category : new long[] {2, 3, 4, 6, 7, 9, 10, 12, 13, 15, 16}) {
            sizes.add(com.sansam.commerce.media.demo.DemoRenderer.jpeg(
                            category, com.sansam.commerce.media.demo.DemoRenderer.colour("카멜"))
                    .length);
        }
        assertEquals(11, sizes.size());
    }

    @Test
    void anAdminUploadsStraightToStorageConfirmsOrdersAndDeletesProductImages() throws Exception {
        String admin = adminSession();
        String brand = Catalog.uniqueBrand();
        Created bag = Catalog.product(admin, brand, "레더 토트", 3_200_000, 2);
        String images = "/api/v1/admin/products/" + bag.id() + "/images";
        byte[] jpeg = picture(1200, 800, "jpeg");

        as(newUserSession())
                .body(Map.of("contentType", "image/jpeg", "size", jpeg.length))
                .post(images)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        JsonPath ticket = as(admin)
                .body(Map.of("contentType", "image/jpeg", "size", jpeg.length))
                .post(images)
                .then()
                .statusCode(201)
                .body("method", equalTo("PUT"))
                .extract()
                .jsonPath();
        long first = ticket.getLong("imageId");
        // confirming before the file is there changes nothing
        as(admin).post(ticket.getString("confirmUrl")).then().statusCode(409).contentType("application/problem+json");
        assertEquals(200, upload(ticket, jpeg, "image/jpeg"));
        as(admin)
                .post(ticket.getString("confirmUrl"))
                .then()
                .statusCode(200)
                .body("url", equalTo("/api/v1/images/" + first))
                .body("position", equalTo(0));
        as(admin).post(ticket.getString("confirmUrl")).then().statusCode(200).body("id", equalTo((int)
                first)); // again: same

        // the product lists it first (its main image), the typed-in URL after it; listings show the thumbnail link
        given().get("/api/v1/products/" + bag.id())
                .then()
                .statusCode(200)
                .body("imageUrls[0]", equalTo("/api/v1/images/" + first))
                .body("imageUrls.size()", equalTo(2));
        given().queryParam("brand", brand)
                .get("/api/v1/products")
                .then()
                .statusCode(200)
                .body("items[0].imageUrl", equalTo("/api/v1/images/" + first + "/thumbnail"));
        // the stable link redirects to the object itself
        assertArrayEquals(jpeg, follow("/api/v1/images/" + first));

        // a 400 px wide thumbnail is made once, off the request path
        await().atMost(Duration.ofSeconds(20))
                .until(() -> TestS3.keys().stream()
                        .anyMatch(key -> key.startsWith("thumbnails/products/" + bag.id() + "/")));
        BufferedImage thumbnail =
                ImageIO.read(new ByteArrayInputStream(follow("/api/v1/images/" + first + "/thumbnail")));
        assertEquals(400, thumbnail.getWidth());
        assertEquals(267, thumbnail.getHeight());

        // a second one (PNG), then made the main image
        byte[] png = picture(300, 300, "png");
        JsonPath second = ticket(admin, images, "image/png", png.length);
        upload(second, png, "image/png");
        long secondId = as(admin)
                .post(second.getString("confirmUrl"))
                .then()
                .statusCode(200)
                .body("position", equalTo(1))
                .extract()
                .jsonPath()
                .getLong("id");
        as(admin)
                .body(Map.of("imageIds", List.of(first)))
                .put(images + "/order")
                .then()
                .statusCode(400)
                .contentType("application/problem+json"); // every image, once
        as(admin)
                .body(Map.of("imageIds", List.of(secondId, first)))
                .put(images + "/order")
                .then()
                .statusCode(200)
                .body("id", contains((int) secondId, (int) first));
        given().get("/api/v1/products/" + bag.id())
                .then()
                .body("imageUrls[0]", equalTo("/api/v1/images/" + secondId))
                .body("imageUrls[1]", equalTo("/api/v1/images/" + first));
        // an admin's edit of the typed-in URLs keeps the uploaded images
        as(admin)
                .body(Map.of("imageUrls", List.of("https://img.example/new.jpg")))
                .patch("/api/v1/admin/products/" + bag.id())
                .then()
                .statusCode(200)
                .body(
                        "imageUrls",
                        contains(
                                "/api/v1/images/" + secondId,
                                "/api/v1/images/" + first,
                                "https://img.example/new.jpg"));

        // delete: the object and its thumbnail go too
        List<String> before = TestS3.keys();
        as(admin).delete(images + "/" + first).then().statusCode(204);
        as(admin).delete(images + "/" + first).then().statusCode(404);
        List<String> after = TestS3.keys();
        // (the second image's thumbnail may appear meanwhile: compare what went, not counts)
        List<String> gone = before.stream().filter(key -> !after.contains(key)).toList();
        assertEquals(2, gone.size(), "object and thumbnail removed: " + before + " → " + after);
        String object = gone.stream()
                .filter(key -> key.startsWith("products/" + bag.id() + "/"))
                .findFirst()
                .orElseThrow();
        assertTrue(gone.contains("thumbnails/" + object), gone.toString());
        given().get("/api/v1/images/" + first).then().statusCode(404);
        given().get("/api/v1/products/" + bag.id()).then().body("imageUrls", not(hasItem("/api/v1/images/" + first)));

        // a retired product keeps its images (orders and reviews still show them)
        as(admin).delete("/api/v1/admin/products/" + bag.id()).then().statusCode(204);
        given().redirects()
                .follow(false)
                .get("/api/v1/images/" + secondId)
                .then()
                .statusCode(302);
    }

    @Test
    void badUploadsAreRefusedAndLeaveNothingBehind() throws Exception {
        String admin = adminSession();
        Created ring = Catalog.product(admin, Catalog.uniqueBrand(), "골드 링", 1_500_000, 2);
        String images = "/api/v1/admin/products/" + ring.id() + "/images";
        as(admin)
                .body(Map.of("contentType", "image/gif", "size", 100))
                .post(images)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        as(admin)
                .body(Map.of("contentType", "image/jpeg", "size", 10 * 1024 * 1024 + 1))
                .post(images)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        as(admin).body(Map.of("contentType", "image/jpeg")).post(images).then().statusCode(400);
        as(admin)
                .body(Map.of("contentType", "image/jpeg", "size", 100))
                .post("/api/v1/admin/products/999999999/images")
                .then()
                .statusCode(404);

        // not an image at all, announced as PNG
        byte[] text = "<html>definitely not a picture</html>".getBytes();
        refusedAtConfirm(admin, images, text, "image/png");
        // a real PNG announced as JPEG
        refusedAtConfirm(admin, images, picture(20, 20, "png"), "image/jpeg");
        // a few bytes whose header announces 26,000 × 26,000 pixels (decoding it would take 2.7 GB): refused unread
        refusedAtConfirm(admin, images, pngHeader(26_000, 26_000), "image/png");
        // a PNG signature, then nothing a decoder reads
        refusedAtConfirm(admin, images, java.util.Arrays.copyOf(pngHeader(10, 10), 20), "image/png");

        // a different size than announced is refused by the signature itself, or at the latest by the confirm
        byte[] jpeg = picture(50, 50, "jpeg");
        JsonPath ticket = ticket(admin, images, "image/jpeg", jpeg.length + 10);
        int status = upload(ticket, jpeg, "image/jpeg");
        if (status == 200) {
            as(admin)
                    .post(ticket.getString("confirmUrl"))
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        assertTrue(
                TestS3.keys().stream().noneMatch(key -> key.startsWith("products/" + ring.id() + "/")),
                TestS3.keys().toString());
        given().get("/api/v1/products/" + ring.id())
                .then()
                .body("imageUrls.size()", equalTo(1)); // the typed-in one only

        // WebP is accepted by its bytes too
        JsonPath webp = ticket(admin, images, "image/webp", WEBP.length);
        upload(webp, WEBP, "image/webp");
        long webpId = as(admin)
                .post(webp.getString("confirmUrl"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("id");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> TestS3.keys().stream()
                        .anyMatch(key -> key.startsWith("thumbnails/products/" + ring.id() + "/")));
        assertNotNull(ImageIO.read(new ByteArrayInputStream(follow("/api/v1/images/" + webpId + "/thumbnail"))));
    }

    @Test
    void onlyAReviewsAuthorAddsUpToThreeImagesAndTheReviewListsThem() throws Exception {
        String admin = adminSession();
        Created scarf = Catalog.product(admin, Catalog.uniqueBrand(), "실크 스카프", 450_000, 2, "", 1, 3);
        String buyer = newUserSession();
        Orders.paid(buyer, scarf.sku(), 1, 450_000);
        long reviewId = as(buyer)
                .body(Map.of("rating", 5, "title", "색이 예뻐요", "body", "사진 첨부합니다"))
                .post("/api/v1/products/" + scarf.id() + "/reviews")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        String images = "/api/v1/reviews/" + reviewId + "/images";
        byte[] jpeg = picture(640, 480, "jpeg");

        as(newUserSession())
                .body(Map.of("contentType", "image/jpeg", "size", jpeg.length))
                .post(images)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().contentType("application/json")
                .body(Map.of("contentType", "image/jpeg", "size", jpeg.length))
                .post(images)
                .then()
                .statusCode(401);
        long firstId = -1;
        for (int i = 0; i < 3; i++) {
            JsonPath ticket = ticket(buyer, images, "image/jpeg", jpeg.length);
            upload(ticket, jpeg, "image/jpeg");
            long id = as(buyer)
                    .post(ticket.getString("confirmUrl"))
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getLong("id");
            firstId = i == 0 ? id : firstId;
        }
        as(buyer)
                .body(Map.of("contentType", "image/jpeg", "size", jpeg.length))
                .post(images)
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        given().get("/api/v1/products/" + scarf.id() + "/reviews")
                .then()
                .statusCode(200)
                .body("reviews[0].imageUrls.size()", equalTo(3))
                .body("reviews[0].imageUrls[0]", equalTo("/api/v1/images/" + firstId));

        // someone else cannot remove them; the author can
        as(newUserSession()).delete(images + "/" + firstId).then().statusCode(403);
        as(buyer).delete(images + "/" + firstId).then().statusCode(204);
        given().get(images).then().statusCode(200).body("size()", equalTo(2));

        // a deleted review's images are swept, objects included
        as(buyer).delete("/api/v1/reviews/" + reviewId).then().statusCode(204);
        jobs.sweepNow().await().atMost(Duration.ofSeconds(10));
        assertTrue(
                TestS3.keys().stream().noneMatch(key -> key.startsWith("reviews/" + reviewId + "/")),
                TestS3.keys().toString());
    }

    /**
     * The thumbnail job records a thumbnail while a delete is under way (after the delete read the image): the
     * thumbnail still goes with the image. The test holds the job's update in an open transaction until the delete
     * waits on the row, then lets it commit.
     */
    @Test
    void aThumbnailRecordedWhileTheImageIsDeletedGoesWithIt() throws Exception {
        String admin = adminSession();
        Created scarf = Catalog.product(admin, Catalog.uniqueBrand(), "스카프", 400_000, 2);
        String images = "/api/v1/admin/products/" + scarf.id() + "/images";
        byte[] jpeg = picture(800, 600, "jpeg");
        JsonPath ticket = ticket(admin, images, "image/jpeg", jpeg.length);
        upload(ticket, jpeg, "image/jpeg");
        long id = as(admin)
                .post(ticket.getString("confirmUrl"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("id");
        String prefix = "thumbnails/products/" + scarf.id() + "/";
        await().atMost(Duration.ofSeconds(20))
                .until(() -> TestS3.keys().stream().anyMatch(key -> key.startsWith(prefix)));
        String thumbnail = pool.preparedQuery("select thumbnail_key from image where id = $1")
                .execute(Tuple.of(id))
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getString(0);
        // as the delete will read it: no thumbnail recorded yet (and the job leaves the row alone)
        pool.preparedQuery("update image set thumbnail_key = null, thumbnail_failed = true where id = $1")
                .execute(Tuple.of(id))
                .await()
                .atMost(Duration.ofSeconds(5));

        SqlConnection job = pool.getConnection().await().atMost(Duration.ofSeconds(5));
        try {
            Transaction recording = job.begin().await().atMost(Duration.ofSeconds(5));
            job.preparedQuery("update image set thumbnail_key = $2 where id = $1")
                    .execute(Tuple.of(id, thumbnail))
                    .await()
                    .atMost(Duration.ofSeconds(5));
            CompletableFuture<Integer> delete = CompletableFuture.supplyAsync(
                    () -> as(admin).delete(images + "/" + id).statusCode());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> pool.query("""
                            select count(*) from pg_stat_activity
                            where wait_event_type = 'Lock' and query like 'delete from image where id = $1%'""")
                                    .execute()
                                    .await()
                                    .atMost(Duration.ofSeconds(5))
                                    .iterator()
                                    .next()
                                    .getLong(0)
                            == 1);
            recording.commit().await().atMost(Duration.ofSeconds(5));
            assertEquals(204, delete.get(20, TimeUnit.SECONDS));
        } finally {
            job.close().await().atMost(Duration.ofSeconds(5));
        }
        assertFalse(
                TestS3.keys().stream()
                        .anyMatch(key -> key.startsWith(prefix) || key.startsWith("products/" + scarf.id() + "/")),
                TestS3.keys().toString());
    }

    /**
     * Images whose thumbnail keeps failing (here: objects gone from the store, and one over the pixel limit confirmed
     * before the limit) never hold up the others: a failure waits before its next try, the oversized one is set
     * aside unread, and the last allowed failure sets an image aside too.
     */
    @Test
    void thumbnailsThatKeepFailingAreSetAsideAndNeverHoldUpTheOthers() throws Exception {
        String admin = adminSession();
        Created coat = Catalog.product(admin, Catalog.uniqueBrand(), "캐시미어 코트", 3_200_000, 2);
        Created old = Catalog.product(admin, Catalog.uniqueBrand(), "빈티지 코트", 2_100_000, 2); // its images are broken
        String oldPrefix = "products/" + old.id() + "/";
        List<Long> broken = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) { // more than the job takes in one round
            broken.add(readyImage(old.id(), oldPrefix + "missing-" + i + ".jpg", "image/jpeg"));
        }
        String bombKey = oldPrefix + "bomb.png";
        TestS3.put(bombKey, pngHeader(26_000, 26_000));
        long bomb = readyImage(old.id(), bombKey, "image/png");

        String prefix = "products/" + coat.id() + "/";
        String images = "/api/v1/admin/products/" + coat.id() + "/images";
        byte[] jpeg = picture(1200, 900, "jpeg");
        JsonPath ticket = ticket(admin, images, "image/jpeg", jpeg.length);
        upload(ticket, jpeg, "image/jpeg");
        as(admin)
                .post(ticket.getString("confirmUrl"))
                .then()
                .statusCode(200)
                .body("width", equalTo(1200))
                .body("height", equalTo(900));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> TestS3.keys().stream().anyMatch(key -> key.startsWith("thumbnails/" + prefix)));

        await().atMost(Duration.ofSeconds(20)).until(() -> failed(bomb));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> pool.preparedQuery("""
                        select count(*) from image where id = any($1) and thumbnail_attempts = 1
                          and thumbnail_due_at > now() + interval '10 seconds' and not thumbnail_failed""")
                                .execute(Tuple.of(broken.toArray(Long[]::new)))
                                .await()
                                .atMost(Duration.ofSeconds(5))
                                .iterator()
                                .next()
                                .getLong(0)
                        == broken.size());

        // one at its last allowed try
        pool.preparedQuery("update image set thumbnail_attempts = 4, thumbnail_due_at = now() where id = $1")
                .execute(Tuple.of(broken.get(0)))
                .await()
                .atMost(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(20)).until(() -> failed(broken.get(0)));
        given().get("/api/v1/products/" + old.id()).then().statusCode(200);
    }

    /** A confirmed image row as an older release left it (no size recorded), straight into the database. */
    private long readyImage(long productId, String key, String contentType) {
        return pool.preparedQuery("""
                        insert into image (owner_type, owner_id, uploader_id, object_key, content_type, byte_size, status, position)
                        values ('PRODUCT', $1, 1, $2, $3, 1000, 'READY', 100) returning id""")
                .execute(Tuple.of(productId, key, contentType))
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getLong(0);
    }

    private boolean failed(long imageId) {
        return pool.preparedQuery("select thumbnail_failed from image where id = $1")
                .execute(Tuple.of(imageId))
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getBoolean(0);
    }

    /** A PNG of that many pixels as far as its header goes (valid chunks, one row of data): a decompression bomb. */
    private static byte[] pngHeader(int width, int height) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(13)
                .putInt(width)
                .putInt(height)
                .put((byte) 8)
                .put((byte) 2)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        chunk(png, "IHDR", header.array());
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try (var deflate = new java.util.zip.DeflaterOutputStream(data)) {
            deflate.write(new byte[1 + 3 * Math.min(width, 64)]);
        }
        chunk(png, "IDAT", data.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        png.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(type.getBytes());
        crc.update(data);
        png.write(type.getBytes());
        png.write(data);
        png.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void anUploadNeverConfirmedIsSweptAfterADay() throws Exception {
        String admin = adminSession();
        Created belt = Catalog.product(admin, Catalog.uniqueBrand(), "벨트", 700_000, 2);
        String images = "/api/v1/admin/products/" + belt.id() + "/images";
        byte[] jpeg = picture(40, 40, "jpeg");
        JsonPath fresh = ticket(admin, images, "image/jpeg", jpeg.length);
        JsonPath stale = ticket(admin, images, "image/jpeg", jpeg.length);
        upload(fresh, jpeg, "image/jpeg");
        upload(stale, jpeg, "image/jpeg");
        pool.preparedQuery("update image set created_at = now() - interval '25 hours' where id = $1")
                .execute(Tuple.of(stale.getLong("imageId")))
                .await()
                .atMost(Duration.ofSeconds(5));

        jobs.sweepNow().await().atMost(Duration.ofSeconds(10));
        as(admin).post(stale.getString("confirmUrl")).then().statusCode(404);
        as(admin).post(fresh.getString("confirmUrl")).then().statusCode(200);
        assertEquals(
                1,
                TestS3.keys().stream()
                        .filter(key -> key.startsWith("products/" + belt.id() + "/"))
                        .count());
    }

    private void refusedAtConfirm(String admin, String images, byte[] file, String announced) throws Exception {
        JsonPath ticket = ticket(admin, images, announced, file.length);
        assertEquals(200, upload(ticket, file, announced));
        as(admin).post(ticket.getString("confirmUrl")).then().statusCode(400).contentType("application/problem+json");
        as(admin).post(ticket.getString("confirmUrl")).then().statusCode(404); // the row is gone
        assertFalse(
                TestS3.keys().stream()
                        .anyMatch(key -> key.endsWith(ticket.getString("uploadUrl")
                                .replaceAll("\\?.*", "")
                                .replaceAll(".*/", ""))),
                "object deleted");
    }

    /** Step one of an upload: the ticket for a file of that type and size. */
    private static JsonPath ticket(String session, String images, String contentType, long size) {
        return as(session)
                .body(Map.of("contentType", contentType, "size", size))
                .post(images)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    /** PUTs the file to the presigned URL with the ticket's content type, as a browser would; answers the status. */
    private static int upload(JsonPath ticket, byte[] file, String contentType)
            throws IOException, InterruptedException {
        HttpResponse<String> put = HTTP.send(
                HttpRequest.newBuilder(URI.create(ticket.getString("uploadUrl")))
                        .header("Content-Type", contentType)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(file))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return put.statusCode();
    }

    /** Follows a stable image link's redirect to storage and answers the bytes stored there. */
    private static byte[] follow(String link) throws IOException, InterruptedException {
        Response redirect = given().redirects().follow(false).get(link);
        assertEquals(302, redirect.statusCode());
        HttpResponse<byte[]> object = HTTP.send(
                HttpRequest.newBuilder(URI.create(redirect.header("Location")))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, object.statusCode(), new String(object.body()));
        return object.body();
    }

    private static byte[] picture(int width, int height, String format) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x8b5a2b));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        g.drawString("SanSam", 5, Math.max(12, height / 2));
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }
}
