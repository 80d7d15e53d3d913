package com.sansam.commerce.order.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;

/** A line of an order with the price the shopper paid (a snapshot: later price changes do not touch it). */
@Entity
@Table(name = "order_line")
public class OrderLine extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "order_pk")
    public Long orderPk;

    @Column(name = "product_id")
    public Long productId;

    public String sku;

    @Column(name = "product_name")
    public String productName;

    @Column(name = "option_label")
    public String optionLabel;

    @Column(name = "unit_price")
    public long unitPrice;

    public int quantity;

    @Column(name = "cancelled_qty")
    public int cancelledQty;

    public int remaining() {
        return quantity - cancelledQty;
    }

    public static Uni<List<OrderLine>> of(long orderPk) {
        return list("orderPk = ?1 order by id", orderPk);
    }
}
