package com.sansam.commerce.media.service;

import com.sansam.commerce.media.client.ObjectStore;
import com.sansam.commerce.media.config.MediaConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.jboss.logging.Logger;

/**
 * Image work off the request path: a listing thumbnail ({@code thumbnail-width} wide, JPEG, or PNG when the image has
 * transparency) made once per confirmed image; and the sweep of uploads never confirmed (after
 * {@code unconfirmed-ttl}) and of images whose review was deleted, objects included.
 */
@ApplicationScoped
public class ImageJobs {

    private static final Logger LOG = Logger.getLogger(ImageJobs.class);

    private final Pool pool;
    private final ObjectStore store;
    private final MediaConfig config;
    private final Vertx vertx;

    public ImageJobs(Pool pool, ObjectStore store, MediaConfig config, Vertx vertx) {
        this.pool = pool;
        this.store = store;
        this.config = config;
        this.vertx = vertx;
    }

    /** Local runs and tests make their bucket at start-up (the client is built only then). */
    void start(@Observes StartupEvent event) {
        if (config.createBucket()) {
            store.createBucketIfMissing();
        }
    }

    @Scheduled(every = "${sansam.media.thumbnail-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> makeThumbnails() {
        return pool.preparedQuery("""
                        select id, object_key, thumbnail_attempts from image
                        where status = 'READY' and thumbnail_key is null and not thumbnail_failed and thumbnail_due_at <= now()
                        order by thumbnail_due_at, id limit 8""")
                .execute()
                .onItem()
                .transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem()
                .transformToUniAndConcatenate(this::thumbnail)
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Void> thumbnail(Row row) {
        long id = row.getLong("id");
        String key = row.getString("object_key");
        int attempts = row.getInteger("thumbnail_attempts");
        return store.read(key)
                .chain(bytes -> vertx.executeBlocking(
                        Uni.createFrom().item(() -> resize(bytes, config.thumbnailWidth(), config.maxPixels())), false))
                .chain(thumbnail -> {
                    String thumbnailKey = "thumbnails/" + key.substring(0, key.lastIndexOf('.'))
                            + (thumbnail.png() ? ".png" : ".jpg");
                    return store.put(thumbnailKey, thumbnail.bytes(), thumbnail.png() ? "image/png" : "image/jpeg")
                            .chain(() -> pool.preparedQuery("update image set thumbnail_key = $2 where id = $1")
                                    .execute(Tuple.of(id, thumbnailKey)))
                            // deleted meanwhile: its thumbnail must not outlive it
                            .call(updated -> updated.rowCount() == 0
                                    ? store.delete(thumbnailKey)
                                    : Uni.createFrom().voidItem());
                })
                .replaceWithVoid()
                .onFailure(NotAnImage.class)
                .recoverWithUni(e -> {
                    LOG.warnf("Image %d cannot be decoded (%s): listed without a thumbnail", id, e.getMessage());
                    return pool.preparedQuery("update image set thumbnail_failed = true where id = $1")
                            .execute(Tuple.of(id))
                            .replaceWithVoid();
                })
                .onFailure()
                .recoverWithUni(e -> later(id, attempts + 1, e));
    }

    /**
     * A failure that may pass (the store away, a decoder failing): tried again after {@code thumbnail-retry}, doubled
     * at each failure; after {@code thumbnail-attempts} failures set aside, so it never holds up the others.
     */
    private Uni<Void> later(long id, int failures, Throwable cause) {
        boolean aside = failures >= config.thumbnailAttempts();
        long delay = config.thumbnailRetry().toMillis() << Math.min(failures - 1, 16);
        if (aside) {
            LOG.warnf(
                    "Thumbnail of image %d failed %d times, set aside (listed without one): %s",
                    id, failures, cause.toString());
        } else {
            LOG.infof("Thumbnail of image %d failed (%s), tried again in %d s", id, cause.toString(), delay / 1000);
        }
        return pool.preparedQuery("""
                        update image set thumbnail_attempts = $2, thumbnail_failed = $3,
                          thumbnail_due_at = now() + $4 * interval '1 millisecond' where id = $1""")
                .execute(Tuple.of(id, failures, aside, delay))
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(
                        e -> { // the database is away: the next round tries again
                            LOG.debugf("Thumbnail of image %d postponed: %s", id, e);
                            return null;
                        });
    }

    /** A thumbnail's bytes, PNG or JPEG. */
    record Thumbnail(byte[] bytes, boolean png) {}

    static final class NotAnImage extends RuntimeException {
        NotAnImage(String message) {
            super(message);
        }
    }

    /**
     * Scales to {@code width} pixels wide (never up), keeping the aspect ratio. A picture over {@code maxPixels} (one
     * confirmed before the limit) is not decoded at all.
     */
    static Thumbnail resize(byte[] original, int width, long maxPixels) {
        Pictures.load();
        Pictures.Size size =
                Pictures.size(original).orElseThrow(() -> new NotAnImage("no reader understands its header"));
        if (size.pixels() > maxPixels) {
            throw new NotAnImage(size.width() + " × " + size.height() + " pixels, over the limit");
        }
        try {
            BufferedImage source = ImageIO.read(new ByteArrayInputStream(original));
            if (source == null) {
                throw new NotAnImage("no reader for it");
            }
            int w = Math.min(width, source.getWidth());
            int h = Math.max(1, (int) Math.round(source.getHeight() * (w / (double) source.getWidth())));
            boolean alpha = source.getColorModel().hasAlpha();
            BufferedImage scaled =
                    new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
            Graphics2D g = scaled.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.drawImage(source, 0, 0, w, h, null);
            } finally {
                g.dispose();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(scaled, alpha ? "png" : "jpeg", out);
            return new Thumbnail(out.toByteArray(), alpha);
        } catch (IOException e) {
            throw new NotAnImage(e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof NotAnImage || e instanceof UncheckedIOException) {
                throw e;
            }
            throw new NotAnImage(e.toString()); // a decoder choking on a corrupt file
        }
    }

    /** Uploads never confirmed, and images of deleted reviews: rows first, then their objects. */
    @Scheduled(
            every = "${sansam.media.sweep-interval}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return sweepNow().replaceWithVoid();
    }

    /** Answers how many images it removed. */
    public Uni<Integer> sweepNow() {
        return pool.preparedQuery("""
                        delete from image i
                        where (i.status = 'PENDING' and i.created_at < now() - $1 * interval '1 second')
                           or (i.owner_type = 'REVIEW' and not exists (select 1 from review r where r.id = i.owner_id))
                        returning object_key, thumbnail_key""")
                .execute(Tuple.of(config.unconfirmedTtl().toSeconds()))
                .onItem()
                .transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem()
                .transformToUniAndConcatenate(row -> store.delete(row.getString(0), row.getString(1))
                        .onFailure()
                        .recoverWithItem(e -> {
                            LOG.warnf("Object %s of a removed image stays in the bucket: %s", row.getString(0), e);
                            return null;
                        })
                        .replaceWith(1))
                .collect()
                .with(java.util.stream.Collectors.summingInt(Integer::intValue));
    }
}
