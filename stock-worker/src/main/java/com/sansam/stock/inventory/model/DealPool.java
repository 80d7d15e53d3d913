package com.sansam.stock.inventory.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** A deal's share of one SKU: its units live in the stock item {@link #poolSku} until sold or given back. */
@Entity
@Table(name = "deal_pool")
@IdClass(DealPool.Key.class)
public class DealPool extends PanacheEntityBase {

    public static class Key implements Serializable {
        public long dealId;
        public String sku;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.dealId == dealId && java.util.Objects.equals(key.sku, sku);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(dealId, sku);
        }
    }

    @Id
    @Column(name = "deal_id")
    public long dealId;

    @Id
    public String sku;

    @Column(name = "pool_sku")
    public String poolSku;

    @Column(name = "set_aside")
    public int setAside;

    public long revision;

    @Column(name = "closed_at")
    public Instant closedAt;

    public boolean closed() {
        return closedAt != null;
    }

    public static Uni<List<DealPool>> lockDeal(long dealId) {
        return find("dealId = ?1 order by sku", dealId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .list();
    }

    /** The pools among {@code poolSkus} whose deal was closed. */
    public static Uni<List<DealPool>> closedAmong(Collection<String> poolSkus) {
        return list("poolSku in ?1 and closedAt is not null", poolSkus);
    }
}
