package com.sansam.chat.room.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A stored chat message; per-room order is by id. A deleted message keeps its row (others see "deleted"). */
@Entity
@Table(name = "chat_message")
public class ChatMessage extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "room_id")
    public long roomId;

    @Column(name = "sender_id")
    public long senderId;

    @Column(name = "client_msg_id")
    public String clientMsgId;

    public String content;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    public boolean deleted() {
        return deletedAt != null;
    }
}
