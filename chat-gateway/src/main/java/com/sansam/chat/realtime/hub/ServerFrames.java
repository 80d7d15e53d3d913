package com.sansam.chat.realtime.hub;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/** The JSON frames the gateway sends (docs/chat.md "Chat frames"). Each record carries its {@code type}. */
public final class ServerFrames {

    private ServerFrames() {}

    public record Ack(String type, String clientMsgId, long messageId, Instant sentAt) {
        public Ack(String clientMsgId, long messageId, Instant sentAt) {
            this("ack", clientMsgId, messageId, sentAt);
        }
    }

    public record Message(
            String type,
            long roomId,
            long messageId,
            long senderId,
            String senderName,
            String content,
            Instant sentAt,
            boolean deleted) {
        public Message(
                long roomId,
                long messageId,
                long senderId,
                String senderName,
                String content,
                Instant sentAt,
                boolean deleted) {
            this("message", roomId, messageId, senderId, senderName, content, sentAt, deleted);
        }
    }

    public record Read(String type, long roomId, long userId, long messageId) {
        public Read(long roomId, long userId, long messageId) {
            this("read", roomId, userId, messageId);
        }
    }

    public record Badge(String type, long totalUnread, Map<String, Long> rooms) {
        public Badge(Map<String, Long> rooms) {
            this("badge", rooms.values().stream().mapToLong(Long::longValue).sum(), rooms);
        }
    }

    public record Deleted(String type, long roomId, long messageId) {
        public Deleted(long roomId, long messageId) {
            this("deleted", roomId, messageId);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(String type, String code, String detail, String clientMsgId) {
        public Error(String code, String detail, String clientMsgId) {
            this("error", code, detail, clientMsgId);
        }
    }
}
