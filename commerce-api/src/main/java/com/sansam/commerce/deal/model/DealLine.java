package com.sansam.commerce.deal.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;

/** One SKU of a deal: its price and units (as set aside by the stock-worker, and as last asked for). */
@Entity
@Table(name = "deal_line")
public class DealLine extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "deal_id")
    public long dealId;

    public String sku;

    @Column(name = "deal_price")
    public long dealPrice;

    /** Units the stock-worker set aside for the deal. */
    public int quantity;

    @Column(name = "requested_quantity")
    public int requestedQuantity;

    /** Units given back to regular stock when the deal ended. */
    public Integer returned;

    public static Uni<List<DealLine>> of(long dealId) {
        return list("dealId = ?1 order by sku", dealId);
    }
}
