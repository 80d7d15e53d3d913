package com.sansam.commerce.media.demo;

import com.sansam.commerce.catalog.config.CatalogConfig;
import com.sansam.commerce.media.model.Images.Owner;
import com.sansam.commerce.media.model.Images.UploadRequest;
import com.sansam.commerce.media.model.Images.UploadTicket;
import com.sansam.commerce.media.service.ImageService;
import com.sansam.commerce.media.service.ImageService.Actor;
import com.sansam.runtime.outbox.SafeContexts;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Gives every product of the demo catalogue its pictures, through the shop's own image pipeline as an admin's upload
 * would go: a presigned PUT to the S3-compatible store, the confirmation (size, type and dimensions checked), and the
 * thumbnails made by the image jobs. One picture per colour option (at most three), drawn by {@link DemoRenderer}.
 * Runs after start-up when the demo catalogue is on (DEMO_CATALOGUE, the local run), for products without a picture
 * yet, so a restart adds nothing twice.
 */
@ApplicationScoped
public class DemoPictures {

    private static final Logger LOG = Logger.getLogger(DemoPictures.class);

    private static final String WITHOUT_PICTURES = """
            select p.id, p.category_id, array_agg(o.color order by o.sku) as colours from product p
            join product_option o on o.product_id = p.id
            where not exists (select 1 from image i where i.owner_type = 'PRODUCT' and i.owner_id = p.id)
            group by p.id order by p.id""";

    private final Pool pool;
    private final ImageService images;
    private final Vertx vertx;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public DemoPictures(Pool pool, ImageService images, Vertx vertx) {
        this.pool = pool;
        this.images = images;
        this.vertx = vertx;
    }

    /** After the demo catalogue was loaded (a later observer), on a worker thread: start-up does not wait for it. */
    void onStart(
            @Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 900) StartupEvent event,
            CatalogConfig catalog) {
        if (catalog.demo()) {
            Infrastructure.getDefaultWorkerPool().execute(() -> {
                try {
                    LOG.infof("Demo pictures: %d uploaded", addMissing());
                } catch (RuntimeException e) {
                    LOG.warnf("Demo pictures could not all be made (is the S3 server up?): %s", e.toString());
                }
            });
        }
    }

    /** Pictures for every product that has none: answers how many were uploaded. Blocks: call on a worker thread. */
    public int addMissing() {
        List<Row> products = new ArrayList<>();
        await(() -> pool.query(WITHOUT_PICTURES).execute()).forEach(products::add);
        if (products.isEmpty()) {
            return 0;
        }
        long admin = await(() -> pool.query("select id from users where role = 'ADMIN' order by id limit 1")
                        .execute())
                .iterator()
                .next()
                .getLong(0);
        int uploaded = 0;
        for (Row product : products) {
            String[] colours = product.getArrayOfStrings("colours");
            for (String colour : Arrays.stream(colours).distinct().limit(3).toList()) {
                upload(product.getLong("id"), product.getLong("category_id"), colour, new Actor(admin, true));
                uploaded++;
            }
        }
        return uploaded;
    }

    /** One picture: ask for an upload, PUT the file where the store says, confirm it. Blocks. */
    public void upload(long productId, long categoryId, String colour, Actor admin) {
        byte[] jpeg = DemoRenderer.jpeg(categoryId, DemoRenderer.colour(colour));
        UploadTicket ticket = await(() -> images.startUpload(
                Owner.PRODUCT, productId, admin, new UploadRequest("image/jpeg", (long) jpeg.length)));
        HttpRequest.Builder put = HttpRequest.newBuilder(ticket.uploadUrl())
                .timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(jpeg));
        ticket.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Content-Length")) { // the client sets it from the body
                put.header(name, value);
            }
        });
        try {
            HttpResponse<String> answer = http.send(put.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() / 100 != 2) {
                throw new IllegalStateException("the store answered " + answer.statusCode() + ": " + answer.body());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        await(() -> images.confirm(Owner.PRODUCT, productId, ticket.imageId(), admin));
    }

    private <T> T await(Supplier<io.smallrye.mutiny.Uni<T>> work) {
        return SafeContexts.await(vertx.getDelegate(), work, Duration.ofSeconds(60));
    }
}
