package com.sansam.chat.room.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/** A user's membership of a room, with the newest message id they have read (only ever moves forward). */
@Entity
@Table(name = "chat_member")
@IdClass(ChatMember.Key.class)
public class ChatMember extends PanacheEntityBase {

    @Id
    @Column(name = "room_id")
    public long roomId;

    @Id
    @Column(name = "user_id")
    public long userId;

    @Column(name = "joined_at")
    public Instant joinedAt;

    @Column(name = "last_read_message_id")
    public long lastReadMessageId;

    /** The composite key (room, user). */
    public static class Key implements Serializable {
        public long roomId;
        public long userId;

        public Key() {}

        public Key(long roomId, long userId) {
            this.roomId = roomId;
            this.userId = userId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.roomId == roomId && key.userId == userId;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(roomId) * 31 + Long.hashCode(userId);
        }
    }

    public static Uni<ChatMember> find(long roomId, long userId) {
        return findById(new Key(roomId, userId));
    }

    public static Uni<List<Long>> roomsOf(long userId) {
        return find("select m.roomId from ChatMember m where m.userId = ?1", userId)
                .project(Long.class)
                .list();
    }
}
