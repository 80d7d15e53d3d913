package com.sansam.runtime.inbox;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A message that failed every try; kept with its error until an admin replays it. */
@Entity
@Table(name = "dead_letter")
public class DeadLetter extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "message_id")
    public UUID messageId;

    public String channel;

    public String type;

    public String body;

    public String error;

    public int attempts;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "replayed_at")
    public Instant replayedAt;
}
