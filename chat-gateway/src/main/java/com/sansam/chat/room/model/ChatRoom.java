package com.sansam.chat.room.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A themed room; entry may need a minimum declared annual income or lifetime paid spend (KRW). */
@Entity
@Table(name = "chat_room")
public class ChatRoom extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    @Column(name = "min_annual_income")
    public Long minAnnualIncome;

    @Column(name = "min_lifetime_spend")
    public Long minLifetimeSpend;

    @Column(name = "created_by")
    public long createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "last_message_id")
    public long lastMessageId;

    @Column(name = "last_activity_at")
    public Instant lastActivityAt;

    @Column(name = "member_count")
    public int memberCount;
}
