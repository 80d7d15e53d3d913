package com.sansam.commerce.order.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Who bought what: a user is a buyer of a product while a paid order line of it is not wholly cancelled. */
@ApplicationScoped
public class Purchases {

    /** Call inside a session. */
    public Uni<Boolean> hasBought(long userId, long productId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        select count(*) from order_line l join orders o on o.id = l.order_pk
                        where o.user_id = :user and l.product_id = :product
                          and o.status in ('PAID', 'PARTIALLY_CANCELLED') and l.cancelled_qty < l.quantity""", Long.class)
                .setParameter("user", userId).setParameter("product", productId)
                .getSingleResult().map(count -> count > 0));
    }
}
