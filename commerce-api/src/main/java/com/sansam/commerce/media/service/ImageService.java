package com.sansam.commerce.media.service;

import com.sansam.commerce.catalog.model.ImageLinks;
import com.sansam.commerce.media.client.ObjectStore;
import com.sansam.commerce.media.config.MediaConfig;
import com.sansam.commerce.media.model.Images.NewOrder;
import com.sansam.commerce.media.model.Images.Owner;
import com.sansam.commerce.media.model.Images.StoredImage;
import com.sansam.commerce.media.model.Images.Type;
import com.sansam.commerce.media.model.Images.UploadRequest;
import com.sansam.commerce.media.model.Images.UploadTicket;
import com.sansam.runtime.problem.Refusal;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rules of product and review images, in one place: who may upload, how many, what counts as an image; the
 * two-step upload (a presigned PUT, then a confirm that checks the stored object's size, first bytes and pixel size),
 * order,
 * delete. A product's {@code imageUrls} follow its confirmed images ({@link ImageLinks}). A refused upload leaves
 * nothing behind: no row, no object.
 */
@ApplicationScoped
public class ImageService {

    private static final String COLUMNS =
            "select id, owner_type, owner_id, uploader_id, object_key, content_type, byte_size, "
                    + "status, position, thumbnail_key, width, height from image";

    private final Pool pool;
    private final ObjectStore store;
    private final MediaConfig config;
    private final ProductImages productImages;
    private final Vertx vertx;

    public ImageService(Pool pool, ObjectStore store, MediaConfig config, ProductImages productImages, Vertx vertx) {
        this.vertx = vertx;
        this.pool = pool;
        this.store = store;
        this.config = config;
        this.productImages = productImages;
    }

    /** The acting user: who they are and whether they are an admin (admins manage product images). */
    public record Actor(long userId, boolean admin) {}

    /** One image row. */
    private record Image(
            long id,
            Owner owner,
            long ownerId,
            long uploaderId,
            String key,
            Type type,
            long size,
            boolean ready,
            int position,
            String thumbnailKey,
            Integer width,
            Integer height) {

        static Image of(Row row) {
            Integer position = row.getInteger("position");
            return new Image(
                    row.getLong("id"),
                    Owner.valueOf(row.getString("owner_type")),
                    row.getLong("owner_id"),
                    row.getLong("uploader_id"),
                    row.getString("object_key"),
                    Type.of(row.getString("content_type")),
                    row.getLong("byte_size"),
                    "READY".equals(row.getString("status")),
                    position == null ? -1 : position,
                    row.getString("thumbnail_key"),
                    row.getInteger("width"),
                    row.getInteger("height"));
        }

        StoredImage view() {
            return new StoredImage(
                    id,
                    ImageLinks.original(id),
                    ImageLinks.thumbnail(id),
                    type.mediaType,
                    size,
                    position,
                    width,
                    height);
        }
    }

    /** Step one: a presigned PUT for a file of this type and size, if the owner may take one more image. */
    public Uni<UploadTicket> startUpload(Owner owner, long ownerId, Actor actor, UploadRequest request) {
        Type type = request == null ? null : Type.of(request.contentType());
        if (type == null) {
            throw Refusal.invalid("contentType", "contentType must be image/jpeg, image/png or image/webp");
        }
        if (request.size() == null || request.size() < 1 || request.size() > config.maxBytes()) {
            throw Refusal.invalid("size", "size must be 1 to " + config.maxBytes() + " bytes");
        }
        String key = owner.storagePrefix + ownerId + "/" + UUID.randomUUID() + "." + type.extension;
        int max = owner == Owner.PRODUCT ? config.maxPerProduct() : config.maxPerReview();
        return pool.withTransaction(connection -> lockOwner(connection, owner, ownerId, actor)
                .chain(() -> connection
                        .preparedQuery("""
                                select count(*) from image where owner_type = $1 and owner_id = $2
                                  and (status = 'READY' or created_at > now() - $3 * interval '1 second')""")
                        .execute(Tuple.of(
                                owner.name(), ownerId, config.unconfirmedTtl().toSeconds())))
                .chain(rows -> {
                    if (rows.iterator().next().getLong(0) >= max) {
                        throw Refusal.conflict("at most " + max + " images (uploads not yet confirmed count too)");
                    }
                    return connection
                            .preparedQuery("""
                                    insert into image (owner_type, owner_id, uploader_id, object_key, content_type, byte_size, status)
                                    values ($1, $2, $3, $4, $5, $6, 'PENDING') returning id""")
                            .execute(Tuple.from(List.of(
                                    owner.name(), ownerId, actor.userId(), key, type.mediaType, request.size())));
                })
                .map(rows -> {
                    long id = rows.iterator().next().getLong(0);
                    return new UploadTicket(
                            id,
                            store.presignPut(key, type.mediaType, request.size()),
                            "PUT",
                            Map.of("Content-Type", type.mediaType, "Content-Length", Long.toString(request.size())),
                            Instant.now().plus(config.putTtl()),
                            confirmPath(owner, ownerId, id));
                }));
    }

    /**
     * Step two: the object must be there, of the size announced, and its first bytes must be an image of the type
     * announced. Then the image is attached, last in its owner's order. Confirming twice answers the same image. A
     * file that is no such image is deleted with its row (the client starts again).
     */
    public Uni<StoredImage> confirm(Owner owner, long ownerId, long imageId, Actor actor) {
        return find(owner, ownerId, imageId, actor).chain(image -> {
            if (image.ready()) {
                return Uni.createFrom().item(image.view());
            }
            return store.head(image.key()).chain(head -> {
                if (head.isEmpty()) {
                    throw Refusal.conflict("nothing uploaded yet for image " + imageId + ": PUT the file first");
                }
                if (head.get().size() != image.size()) {
                    return discard(image)
                            .chain(() -> Uni.createFrom()
                                    .failure(Refusal.invalid(
                                            "size",
                                            "the file is " + head.get().size() + " bytes, not the " + image.size()
                                                    + " announced; start again")));
                }
                return store.readStart(image.key(), 12).chain(start -> {
                    Type actual = Type.sniff(start);
                    if (actual != image.type()) {
                        return discard(image)
                                .chain(() -> Uni.createFrom()
                                        .failure(Refusal.invalid(
                                                "contentType",
                                                actual == null
                                                        ? "the file is not a JPEG, PNG or WebP image; start again"
                                                        : "the file is " + actual.mediaType + ", not "
                                                                + image.type().mediaType + "; start again")));
                    }
                    return measure(image);
                });
            });
        });
    }

    /**
     * The picture's size from its header, before anything decodes it: over {@code max-pixels} it is refused (and
     * removed) as one no decoder reads.
     */
    private Uni<StoredImage> measure(Image image) {
        return store.read(image.key())
                .chain(bytes -> vertx.executeBlocking(Uni.createFrom().item(() -> Pictures.size(bytes)), false))
                .chain(size -> {
                    if (size.isEmpty()) {
                        return discard(image)
                                .chain(() -> Uni.createFrom()
                                        .failure(Refusal.invalid(
                                                "contentType",
                                                "the file is not a " + image.type().mediaType
                                                        + " image any decoder reads; start again")));
                    }
                    if (size.get().pixels() > config.maxPixels()) {
                        return discard(image)
                                .chain(() -> Uni.createFrom()
                                        .failure(Refusal.invalid(
                                                "size",
                                                "the picture is " + size.get().width() + " × "
                                                        + size.get().height() + " pixels; at most "
                                                        + config.maxPixels() / 1_000_000
                                                        + " megapixels are accepted; start again")));
                    }
                    return attach(image, size.get());
                });
    }

    private Uni<StoredImage> attach(Image image, Pictures.Size size) {
        return pool.withTransaction(connection -> connection
                        .preparedQuery("""
                                update image set status = 'READY', confirmed_at = now(), width = $4, height = $5,
                                  position = (select coalesce(max(position) + 1, 0) from image
                                              where owner_type = $2 and owner_id = $3 and status = 'READY')
                                where id = $1 and status = 'PENDING'""")
                        .execute(Tuple.of(
                                image.id(), image.owner().name(), image.ownerId(), size.width(), size.height()))
                        .call(() -> productImages.follow(connection, image.owner(), image.ownerId())))
                .call(() -> productImages.announce(image.owner(), image.ownerId()))
                .chain(() -> reload(image.id()));
    }

    /** The owner's confirmed images, in order (for products: main image first). */
    public Uni<List<StoredImage>> list(Owner owner, long ownerId) {
        return pool.preparedQuery(
                        COLUMNS + " where owner_type = $1 and owner_id = $2 and status = 'READY' order by position, id")
                .execute(Tuple.of(owner.name(), ownerId))
                .map(rows -> {
                    List<StoredImage> images = new ArrayList<>();
                    rows.forEach(row -> images.add(Image.of(row).view()));
                    return images;
                });
    }

    /** A new order of the owner's confirmed images; the first becomes the main image. */
    public Uni<List<StoredImage>> reorder(Owner owner, long ownerId, Actor actor, NewOrder order) {
        if (order == null || order.imageIds() == null || order.imageIds().contains(null)) {
            throw Refusal.invalid("imageIds", "imageIds must list the confirmed images");
        }
        List<Long> ids = order.imageIds();
        return pool.withTransaction(connection -> lockOwner(connection, owner, ownerId, actor)
                        .chain(() -> connection
                                .preparedQuery(
                                        "select id from image where owner_type = $1 and owner_id = $2 and status = 'READY'")
                                .execute(Tuple.of(owner.name(), ownerId)))
                        .chain(rows -> {
                            var current = new HashSet<Long>();
                            rows.forEach(row -> current.add(row.getLong(0)));
                            if (ids.size() != current.size() || !current.equals(new HashSet<>(ids))) {
                                throw Refusal.invalid(
                                        "imageIds", "imageIds must list every confirmed image once: " + current);
                            }
                            return connection.preparedQuery("""
                                            update image i set position = o.n - 1
                                            from unnest($1::bigint[]) with ordinality as o(id, n) where i.id = o.id""").execute(Tuple.of(ids.toArray(Long[]::new)));
                        })
                        .call(() -> productImages.follow(connection, owner, ownerId)))
                .call(() -> productImages.announce(owner, ownerId))
                .chain(() -> list(owner, ownerId));
    }

    /** Deletes the image, its object and thumbnail. Deleting it again answers 404. */
    public Uni<Void> delete(Owner owner, long ownerId, long imageId, Actor actor) {
        return find(owner, ownerId, imageId, actor).chain(this::discard);
    }

    /**
     * Removes the objects, then the row: should the store fail, the row stays and the delete can simply be repeated
     * (deleting a missing object succeeds), so no object is ever left without a row naming it. A confirmed image's
     * owner follows (a product's imageUrls and cached pages).
     * <p>
     * The thumbnail job may record a thumbnail after the image was read: the row's delete answers the thumbnail it
     * names at that moment, and one the read did not know goes before the commit. One recorded after the delete
     * finds no row, and the job removes it itself ({@link ImageJobs}): the row lock orders the two.
     */
    private Uni<Void> discard(Image image) {
        return store.delete(image.key(), image.thumbnailKey())
                .chain(() -> pool.withTransaction(connection -> connection
                        .preparedQuery("delete from image where id = $1 returning thumbnail_key")
                        .execute(Tuple.of(image.id()))
                        .call(rows -> {
                            String recorded = rows.size() == 0
                                    ? null
                                    : rows.iterator().next().getString(0);
                            return recorded == null || recorded.equals(image.thumbnailKey())
                                    ? Uni.createFrom().voidItem()
                                    : store.delete(recorded);
                        })
                        .call(() -> image.ready()
                                ? productImages.follow(connection, image.owner(), image.ownerId())
                                : Uni.createFrom().voidItem())))
                .call(() -> image.ready()
                        ? productImages.announce(image.owner(), image.ownerId())
                        : Uni.createFrom().voidItem())
                .replaceWithVoid();
    }

    /** Where a stable image link points: the object, or its thumbnail once made. 404 when there is no such image. */
    public Uni<java.net.URI> link(long imageId, boolean thumbnail) {
        return pool.preparedQuery("select object_key, thumbnail_key from image where id = $1 and status = 'READY'")
                .execute(Tuple.of(imageId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw Refusal.notFound("no image " + imageId);
                    }
                    Row row = rows.iterator().next();
                    String key = thumbnail && row.getString(1) != null ? row.getString(1) : row.getString(0);
                    return store.linkTo(key);
                });
    }

    /**
     * Locks the owner row (so counting and adding images cannot race) after checking the actor may add images to it:
     * products are admins' (the resource says so), a review its author's.
     */
    private Uni<Void> lockOwner(SqlConnection connection, Owner owner, long ownerId, Actor actor) {
        String sql = owner == Owner.PRODUCT
                ? "select 0 from product where id = $1 for update"
                : "select user_id from review where id = $1 for update";
        return connection.preparedQuery(sql).execute(Tuple.of(ownerId)).map(rows -> {
            if (rows.size() == 0) {
                throw Refusal.notFound("no " + owner.name().toLowerCase() + " " + ownerId);
            }
            if (owner == Owner.REVIEW && rows.iterator().next().getLong(0) != actor.userId()) {
                throw Refusal.forbidden("only its author may add images to a review");
            }
            return null;
        });
    }

    /** The image, if it belongs to that owner and the actor may change it (review images: author or admin). */
    private Uni<Image> find(Owner owner, long ownerId, long imageId, Actor actor) {
        return pool.preparedQuery(COLUMNS + " where id = $1 and owner_type = $2 and owner_id = $3")
                .execute(Tuple.of(imageId, owner.name(), ownerId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw Refusal.notFound(
                                "no image " + imageId + " of " + owner.name().toLowerCase() + " " + ownerId);
                    }
                    Image image = Image.of(rows.iterator().next());
                    if (owner == Owner.REVIEW && image.uploaderId() != actor.userId() && !actor.admin()) {
                        throw Refusal.forbidden("only its author or an admin may change a review's images");
                    }
                    return image;
                });
    }

    private Uni<StoredImage> reload(long imageId) {
        return pool.preparedQuery(COLUMNS + " where id = $1")
                .execute(Tuple.of(imageId))
                .map(rows -> Image.of(rows.iterator().next()).view());
    }

    private static String confirmPath(Owner owner, long ownerId, long imageId) {
        return owner.apiPath + ownerId + "/images/" + imageId + "/confirm";
    }
}
