package com.sansam.commerce.wishlist.service;

import com.sansam.commerce.catalog.model.Product;
import com.sansam.commerce.catalog.service.CatalogCache;
import com.sansam.commerce.catalog.service.Popularity;
import com.sansam.runtime.problem.Refusal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** A user's wishlist; each add or removal keeps the product's wishlist count exact. */
@ApplicationScoped
public class WishlistService {

    private final CatalogCache cache;
    private final Popularity popularity;

    public WishlistService(CatalogCache cache, Popularity popularity) {
        this.cache = cache;
        this.popularity = popularity;
    }

    /** Idempotent: adding a product already wished changes nothing. */
    public Uni<Void> add(long userId, long productId) {
        return Panache.withTransaction(() -> Product.<Product>findById(productId)
                        .chain(product -> {
                            if (product == null || !product.isActive()) {
                                throw Refusal.notFound("No product " + productId);
                            }
                            return execute("""
                            insert into wishlist_item (user_id, product_id, created_at) values (:user, :product, now())
                            on conflict do nothing""", userId, productId)
                                    .call(added -> added == 1
                                            ? Product.update(
                                                    "wishlistCount = wishlistCount + 1 where id = ?1", productId)
                                            : Uni.createFrom().voidItem());
                        }))
                .call(added -> added == 1
                        ? cache.productChanged(productId).invoke(() -> popularity.wished(productId))
                        : Uni.createFrom().voidItem())
                .replaceWithVoid();
    }

    /** Idempotent too. */
    public Uni<Void> remove(long userId, long productId) {
        return Panache.withTransaction(() -> execute(
                                "delete from wishlist_item where user_id = :user and product_id = :product",
                                userId,
                                productId)
                        .call(removed -> removed == 1
                                ? Product.update(
                                        "wishlistCount = wishlistCount - 1 where id = ?1 and wishlistCount > 0",
                                        productId)
                                : Uni.createFrom().voidItem()))
                .call(removed -> removed == 1
                        ? cache.productChanged(productId)
                        : Uni.createFrom().voidItem())
                .replaceWithVoid();
    }

    /** The ids of wished products still on sale, most recently wished first (the resource shows them as summaries). */
    public Uni<List<Long>> productIds(long userId) {
        return Panache.withSession(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                        select p.id from product p join wishlist_item w on w.product_id = p.id
                        where w.user_id = :user and p.status = 'ACTIVE'
                        order by w.created_at desc, p.id desc limit 500""", Long.class)
                        .setParameter("user", userId)
                        .getResultList()));
    }

    private static Uni<Integer> execute(String sql, long userId, long productId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(sql)
                        .setParameter("user", userId)
                        .setParameter("product", productId)
                        .executeUpdate());
    }
}
