package com.sansam.stock.inventory.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;

@Entity
@Table(name = "reservation_line")
public class ReservationLine extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "order_id")
    public String orderId;

    public String sku;

    public int qty;

    /** Units of this line put back by cancels of the paid order. */
    @Column(name = "restored_qty")
    public int restoredQty;

    public static Uni<List<ReservationLine>> ofOrder(String orderId) {
        return list("orderId = ?1 order by sku", orderId);
    }

    /** Units of the line still held or sold (not yet restored). */
    public int outstanding() {
        return qty - restoredQty;
    }
}
