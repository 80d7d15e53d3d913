package com.sansam.commerce.order.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One (partial) cancel of a paid order. */
@Entity
@Table(name = "order_cancel")
public class OrderCancel extends PanacheEntityBase {

    public enum Status {
        REQUESTED,
        DONE,
        FAILED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "order_pk")
    public Long orderPk;

    @Column(name = "cancel_id")
    public String cancelId;

    public long amount;

    public String reason;

    /** JSON [{sku, qty}]. */
    public String lines;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Status status;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "done_at")
    public Instant doneAt;
}
