package com.sansam.commerce.deal.model;

import com.sansam.messages.Messages;
import com.sansam.messages.StockCommands;
import com.sansam.runtime.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "deal")
public class Deal extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "product_id")
    public long productId;

    public String title;

    @Column(name = "per_buyer_limit")
    public int perBuyerLimit;

    @Column(name = "starts_at")
    public Instant startsAt;

    @Column(name = "ends_at")
    public Instant endsAt;

    @Enumerated(EnumType.STRING)
    public DealStatus status;

    /** The set-aside last asked of the stock-worker. */
    public long revision;

    /** The set-aside last answered (set aside or refused). */
    @Column(name = "confirmed_revision")
    public long confirmedRevision;

    @Column(name = "refused_sku")
    public String refusedSku;

    @Column(name = "refused_available")
    public Integer refusedAvailable;

    @Column(name = "refused_at")
    public Instant refusedAt;

    @Column(name = "reminded_at")
    public Instant remindedAt;

    @Column(name = "start_notified_at")
    public Instant startNotifiedAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "end_reason")
    public String endReason;

    @Enumerated(EnumType.STRING)
    public DealMode mode = DealMode.OPEN;

    @Column(name = "rate_per_second")
    public Integer ratePerSecond;

    @Column(name = "pass_ttl_seconds")
    public Integer passTtlSeconds;

    @Column(name = "queue_opens_before_seconds")
    public Integer queueOpensBeforeSeconds;

    @Column(name = "entries_open_at")
    public Instant entriesOpenAt;

    @Column(name = "entries_close_at")
    public Instant entriesCloseAt;

    @Column(name = "pay_within_seconds")
    public Integer payWithinSeconds;

    /** SHA-256 (hex) of the draw's seed, public from the deal's creation. */
    @Column(name = "draw_commitment")
    public String drawCommitment;

    /** The seed, sealed with the configured key until the draw (never shown). */
    @Column(name = "draw_seed_sealed")
    public String drawSeedSealed;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** What a shopper sees at {@code now}: pending, refused, upcoming, live or ended. */
    public String state(Instant now) {
        return state(status, startsAt, endsAt, now);
    }

    public static String state(DealStatus status, Instant startsAt, Instant endsAt, Instant now) {
        if (status == DealStatus.ENDED || (status == DealStatus.OPEN && !now.isBefore(endsAt))) {
            return "ended";
        }
        if (status != DealStatus.OPEN) {
            return status.name().toLowerCase();
        }
        return now.isBefore(startsAt) ? "upcoming" : "live";
    }

    /**
     * A stock command of the deal or of one of its orders: all share the deal's aggregate, so the stock-worker applies
     * them in the order they were decided (see {@link StockCommands}).
     */
    public static Outbox.Pending stockCommand(long dealId, Object command) {
        return new Outbox.Pending(
                Messages.STOCK_COMMANDS_EXCHANGE, StockCommands.DEAL_AGGREGATE, Long.toString(dealId), command);
    }

    public static Uni<Deal> lock(long id) {
        return Deal.<Deal>findById(id, LockModeType.PESSIMISTIC_WRITE);
    }
}
