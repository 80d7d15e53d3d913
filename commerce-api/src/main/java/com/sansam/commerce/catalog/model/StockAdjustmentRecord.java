package com.sansam.commerce.catalog.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A restock or correction asked of the stock-worker, and its answer once it came. */
@Entity
@Table(name = "stock_adjustment")
public class StockAdjustmentRecord extends PanacheEntityBase {

    public enum Outcome {
        REQUESTED,
        APPLIED,
        REFUSED
    }

    @Id
    public UUID id;

    public String sku;

    public int delta;

    public String reason;

    @Column(name = "requested_by")
    public Long requestedBy;

    @Column(name = "requested_at")
    public Instant requestedAt;

    @Enumerated(EnumType.STRING)
    public Outcome outcome;

    public Integer available;

    public String refusal;

    @Column(name = "decided_at")
    public Instant decidedAt;
}
