package com.sansam.chat.room.model;

import java.time.Instant;

/**
 * What happened in a room (or to a member), announced once the change has committed ({@link
 * com.sansam.chat.room.service.RoomEvents}); the realtime layer tells every gateway replica, and each delivers it to
 * the connections it holds. A message carries the W3C trace context of its send, so its delivery on every replica
 * joins the sender's trace. {@code kind}: message, deleted, read, joined, left, kicked.
 * <p>
 * A message names the room's message before it ({@code previousId}, 0 for the first): a room's messages form one
 * chain in commit order, so a receiver can tell a message that overtook another (sent by another replica) from the
 * next one, and wait for or fetch what is missing. Events from a replica that predates the field read as 0.
 */
public record RoomEvent(
        String kind,
        long roomId,
        long userId,
        long messageId,
        String senderName,
        String content,
        Instant sentAt,
        long unread,
        String traceParent,
        long previousId) {

    public static final String MESSAGE = "message";
    public static final String DELETED = "deleted";
    public static final String READ = "read";
    public static final String JOINED = "joined";
    public static final String LEFT = "left";
    public static final String KICKED = "kicked";

    /**
     * A new message; {@code userId} is the sender; {@code traceParent}: the trace of the send (may be null);
     * {@code previousId}: the room's message before it.
     */
    public static RoomEvent message(
            long roomId,
            long senderId,
            long messageId,
            String senderName,
            String content,
            Instant sentAt,
            String traceParent,
            long previousId) {
        return new RoomEvent(
                MESSAGE, roomId, senderId, messageId, senderName, content, sentAt, 0, traceParent, previousId);
    }

    /** A message was deleted by its sender {@code userId}. */
    public static RoomEvent deleted(long roomId, long senderId, long messageId) {
        return new RoomEvent(DELETED, roomId, senderId, messageId, null, null, null, 0, null, 0);
    }

    /** {@code userId}'s read mark in the room is now {@code messageId}, leaving {@code unread} unread there. */
    public static RoomEvent read(long roomId, long userId, long messageId, long unread) {
        return new RoomEvent(READ, roomId, userId, messageId, null, null, null, unread, null, 0);
    }

    /** {@code userId} joined; their read mark starts at {@code messageId}. */
    public static RoomEvent joined(long roomId, long userId, long messageId) {
        return new RoomEvent(JOINED, roomId, userId, messageId, null, null, null, 0, null, 0);
    }

    public static RoomEvent left(long roomId, long userId) {
        return new RoomEvent(LEFT, roomId, userId, 0, null, null, null, 0, null, 0);
    }

    /** {@code userId} may no longer chat (withdrawn): close their connections. */
    public static RoomEvent kicked(long userId) {
        return new RoomEvent(KICKED, 0, userId, 0, null, null, null, 0, null, 0);
    }
}
