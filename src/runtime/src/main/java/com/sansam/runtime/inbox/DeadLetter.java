package com.sansam.runtime.inbox;

import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.runtime.tracing.MessageTraces;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
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

    /** The aggregate the message was about (for the log line), not stored. */
    @Transient
    public String aggregate = "?";

    /** The letter of a message that failed {@code attempts} times with {@code failure}. */
    static DeadLetter of(String channel, String body, Throwable failure, int attempts) {
        DeadLetter letter = new DeadLetter();
        letter.channel = channel;
        letter.body = body;
        letter.error = String.valueOf(failure);
        letter.attempts = attempts;
        letter.createdAt = Instant.now();
        try {
            Envelope envelope = Messages.envelope(body);
            letter.messageId = envelope.messageId();
            letter.type = envelope.type();
            letter.aggregate = MessageTraces.aggregate(envelope.aggregateType(), envelope.aggregateId());
        } catch (IllegalArgumentException unreadable) {
            letter.type = "unreadable";
        }
        return letter;
    }
}
