package com.sansam.stock.inventory.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One line of the stock ledger. */
@Entity
@Table(name = "stock_movement")
public class StockMovement extends PanacheEntityBase {

    public enum Kind {
        ADJUST,
        RESERVE,
        COMMIT,
        RELEASE,
        EXPIRE,
        RESTORE,
        RETAKE,
        DEAL_SET_ASIDE,
        DEAL_RETURN
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String sku;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Kind kind;

    @Column(name = "available_delta")
    public int availableDelta;

    @Column(name = "reserved_delta")
    public int reservedDelta;

    @Column(name = "order_id")
    public String orderId;

    public String reason;

    public Instant at;
}
