package com.sansam.chat.user.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The gateway's own copy of the user facts room conditions are checked against. */
@Entity
@Table(name = "chat_user")
public class ChatUser extends PanacheEntityBase {

    @Id
    @Column(name = "user_id")
    public Long userId;

    public String name;

    @Column(name = "annual_income")
    public Long annualIncome;

    @Column(name = "lifetime_spend")
    public long lifetimeSpend;

    public boolean withdrawn;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
