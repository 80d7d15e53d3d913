package com.sansam.commerce.cart.service;

import com.sansam.commerce.cart.model.CartDtos.Cart;
import com.sansam.commerce.cart.model.CartDtos.CartLine;
import com.sansam.commerce.cart.model.CartItem;
import com.sansam.commerce.catalog.model.Product;
import com.sansam.commerce.catalog.model.ProductOption;
import com.sansam.commerce.catalog.model.SkuAvailability;
import com.sansam.runtime.problem.Refusal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The cart's rules: 1..10 units per line, at most 50 lines, only the owner sees or changes it. */
@ApplicationScoped
public class CartService {

    public Uni<Cart> cart(long userId) {
        return Panache.withSession(() -> view(userId));
    }

    /** Adds units of a SKU; adding a SKU already in the cart raises its quantity. */
    public Uni<Cart> add(long userId, String sku, int quantity) {
        return Panache.withTransaction(() -> ProductOption.bySku(sku)
                .chain(option ->
                        option == null ? Uni.createFrom().nullItem() : Product.<Product>findById(option.productId))
                .chain(product -> {
                    if (product == null || !product.isActive()) {
                        throw Refusal.invalid("sku", "No SKU " + sku + " on sale");
                    }
                    return CartItem.count("userId = ?1 and sku <> ?2", userId, sku);
                })
                .chain(otherLines -> {
                    if (otherLines >= CartItem.MAX_LINES) {
                        throw Refusal.conflict("A cart holds at most " + CartItem.MAX_LINES + " lines");
                    }
                    return Panache.getSession()
                            .chain(session -> session.createNativeQuery("""
                                    insert into cart_item (user_id, sku, quantity, created_at) values (:user, :sku, :qty, now())
                                    on conflict (user_id, sku) do update set quantity = cart_item.quantity + excluded.quantity
                                    where cart_item.quantity + excluded.quantity <= :max""")
                                    .setParameter("user", userId)
                                    .setParameter("sku", sku)
                                    .setParameter("qty", quantity)
                                    .setParameter("max", CartItem.MAX_QUANTITY)
                                    .executeUpdate());
                })
                .chain(changed -> {
                    if (changed == 0) {
                        throw Refusal.invalid(
                                "quantity", "A cart line holds at most " + CartItem.MAX_QUANTITY + " units");
                    }
                    return view(userId);
                }));
    }

    public Uni<Cart> changeQuantity(long userId, long itemId, int quantity) {
        return Panache.withTransaction(() -> own(userId, itemId)
                .invoke(item -> item.quantity = quantity)
                .call(item -> Panache.getSession().chain(s -> s.flush()))
                .chain(item -> view(userId)));
    }

    public Uni<Void> remove(long userId, long itemId) {
        return Panache.withTransaction(() -> own(userId, itemId).call(CartItem::delete))
                .replaceWithVoid();
    }

    /** Another user's item is answered exactly like a missing one. */
    private static Uni<CartItem> own(long userId, long itemId) {
        return CartItem.<CartItem>find("id = ?1 and userId = ?2", itemId, userId)
                .firstResult()
                .onItem()
                .ifNull()
                .failWith(() -> Refusal.notFound("No cart item " + itemId));
    }

    private static Uni<Cart> view(long userId) {
        return CartItem.<CartItem>list("userId = ?1 order by id", userId).chain(items -> {
            if (items.isEmpty()) {
                return Uni.createFrom().item(new Cart(List.of(), 0, 0));
            }
            List<String> skus = items.stream().map(i -> i.sku).toList();
            return ProductOption.<ProductOption>list("sku in ?1", skus).chain(options -> {
                Map<String, ProductOption> bySku =
                        options.stream().collect(Collectors.toMap(o -> o.sku, Function.identity()));
                List<Long> productIds =
                        options.stream().map(o -> o.productId).distinct().toList();
                return Product.<Product>list("id in ?1", productIds)
                        .chain(products -> SkuAvailability.of(skus).map(available -> {
                            Map<Long, Product> byId =
                                    products.stream().collect(Collectors.toMap(p -> p.id, Function.identity()));
                            List<CartLine> lines = new ArrayList<>();
                            long total = 0;
                            int orderable = 0;
                            for (CartItem item : items) {
                                ProductOption option = bySku.get(item.sku);
                                Product product = byId.get(option.productId);
                                int units = available.getOrDefault(item.sku, 0);
                                boolean retired = !product.isActive();
                                boolean outOfStock = units < item.quantity;
                                long lineTotal = product.price * item.quantity;
                                if (!retired && !outOfStock) {
                                    total += lineTotal;
                                    orderable++;
                                }
                                lines.add(new CartLine(
                                        item.id,
                                        item.sku,
                                        product.id,
                                        product.name,
                                        product.brand,
                                        option.size,
                                        option.color,
                                        com.sansam.commerce.catalog.model.ImageLinks.forListing(product.imageUrls),
                                        product.price,
                                        item.quantity,
                                        lineTotal,
                                        units,
                                        retired,
                                        outOfStock));
                            }
                            return new Cart(lines, total, orderable);
                        }));
            });
        });
    }
}
