package com.sansam.commerce.media.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sansam.commerce.catalog.model.ImageLinks;
import com.sansam.commerce.catalog.service.CatalogCache;
import com.sansam.commerce.media.model.Images.Owner;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * A product's pictures as the catalogue shows them: its {@code imageUrls} follow its confirmed images (in the same
 * transaction), and its cached detail and listings are dropped after the commit. A review's images need neither.
 */
@ApplicationScoped
public class ProductImages {

    private static final TypeReference<List<String>> URLS = new TypeReference<>() {};

    private final CatalogCache cache;
    private final ObjectMapper json;

    public ProductImages(CatalogCache cache, ObjectMapper json) {
        this.cache = cache;
        this.json = json;
    }

    /** In the transaction that changed the owner's confirmed images: a product's imageUrls follow them. */
    Uni<Void> follow(SqlConnection connection, Owner owner, long ownerId) {
        return owner == Owner.PRODUCT
                ? syncProduct(connection, ownerId)
                : Uni.createFrom().voidItem();
    }

    /** After that commit: a product's cached detail and listings are stale (reviews are not cached). */
    Uni<Void> announce(Owner owner, long ownerId) {
        return owner == Owner.PRODUCT
                ? cache.productChanged(ownerId)
                : Uni.createFrom().voidItem();
    }

    /** The product's imageUrls: its confirmed images in order, then the URLs typed in. */
    private Uni<Void> syncProduct(SqlConnection connection, long productId) {
        return connection.preparedQuery("""
                        select p.image_urls, array(select i.id from image i where i.owner_type = 'PRODUCT' and i.owner_id = p.id
                                                     and i.status = 'READY' order by i.position, i.id) as images
                        from product p where p.id = $1 for update""").execute(Tuple.of(productId)).chain(rows -> {
            Row row = rows.iterator().next();
            List<String> current;
            try {
                current = json.readValue(row.getString("image_urls"), URLS);
            } catch (Exception e) {
                throw new IllegalStateException("product " + productId + " has unreadable image_urls", e);
            }
            List<String> uploaded = new ArrayList<>();
            for (Long id : row.getArrayOfLongs("images")) {
                uploaded.add(ImageLinks.original(id));
            }
            String urls;
            try {
                urls = json.writeValueAsString(ImageLinks.withUploaded(uploaded, current));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return connection
                    .preparedQuery(
                            "update product set image_urls = $2, updated_at = now(), version = version + 1 where id = $1")
                    .execute(Tuple.of(productId, urls))
                    .replaceWithVoid();
        });
    }
}
