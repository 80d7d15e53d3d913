package com.sansam.chat.room.model;

import java.time.Instant;
import java.util.List;

/** JSON shapes of the rooms API. */
public final class RoomDtos {

    private RoomDtos() {}

    public record CreateRoom(String name, Long minAnnualIncome, Long minLifetimeSpend) {}

    public record RoomView(
            long id,
            String name,
            Long minAnnualIncome,
            Long minLifetimeSpend,
            int memberCount,
            Instant lastActivityAt,
            boolean joined) {}

    public record RoomPage(List<RoomView> rooms, String nextCursor) {}

    public record LastMessage(
            long messageId, long senderId, String senderName, String content, Instant sentAt, boolean deleted) {}

    public record MyRoom(RoomView room, long unread, LastMessage lastMessage) {}

    /** A message; {@code content} is null once deleted. */
    public record MessageView(
            long messageId,
            long roomId,
            long senderId,
            String senderName,
            String content,
            Instant sentAt,
            boolean deleted) {}

    /** History page, newest first; {@code nextBefore} asks for the page before it. */
    public record MessagePage(List<MessageView> messages, Long nextBefore) {}
}
