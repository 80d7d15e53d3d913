package com.sansam.commerce.order.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Who bought what, in one place: a user has bought a product while a paid order line of it (order PAID or
 * PARTIALLY_CANCELLED) is not wholly cancelled. Reviews are allowed per such line.
 */
@ApplicationScoped
public class Purchases {

    /** The user's purchased order lines of the product, oldest first. Call inside a session. */
    public Uni<List<Long>> lines(long userId, long productId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                        select l.id from order_line l join orders o on o.id = l.order_pk
                        where o.user_id = :user and l.product_id = :product
                          and o.status in ('PAID', 'PARTIALLY_CANCELLED') and l.cancelled_qty < l.quantity
                        order by l.id""", Long.class)
                        .setParameter("user", userId)
                        .setParameter("product", productId)
                        .getResultList());
    }

    /** Call inside a session. */
    public Uni<Boolean> hasBought(long userId, long productId) {
        return lines(userId, productId).map(lines -> !lines.isEmpty());
    }
}
