package com.sansam.chat.realtime;

import java.time.Instant;

/**
 * What one gateway replica tells every replica (through Redis pub/sub) after a change has committed; each
 * replica delivers it to the connections it holds. {@code kind}: message, deleted, read, joined, left, kicked.
 */
public record FanoutEvent(String kind, long roomId, long userId, long messageId, String senderName, String content,
                          Instant sentAt, long unread) {

    public static final String MESSAGE = "message";
    public static final String DELETED = "deleted";
    public static final String READ = "read";
    public static final String JOINED = "joined";
    public static final String LEFT = "left";
    public static final String KICKED = "kicked";

    /** A new message; {@code userId} is the sender. */
    public static FanoutEvent message(long roomId, long senderId, long messageId, String senderName, String content,
                                      Instant sentAt) {
        return new FanoutEvent(MESSAGE, roomId, senderId, messageId, senderName, content, sentAt, 0);
    }

    /** A message was deleted by its sender {@code userId}. */
    public static FanoutEvent deleted(long roomId, long senderId, long messageId) {
        return new FanoutEvent(DELETED, roomId, senderId, messageId, null, null, null, 0);
    }

    /** {@code userId}'s read mark in the room is now {@code messageId}, leaving {@code unread} unread there. */
    public static FanoutEvent read(long roomId, long userId, long messageId, long unread) {
        return new FanoutEvent(READ, roomId, userId, messageId, null, null, null, unread);
    }

    /** {@code userId} joined; their read mark starts at {@code messageId}. */
    public static FanoutEvent joined(long roomId, long userId, long messageId) {
        return new FanoutEvent(JOINED, roomId, userId, messageId, null, null, null, 0);
    }

    public static FanoutEvent left(long roomId, long userId) {
        return new FanoutEvent(LEFT, roomId, userId, 0, null, null, null, 0);
    }

    /** {@code userId} may no longer chat (withdrawn): close their connections. */
    public static FanoutEvent kicked(long userId) {
        return new FanoutEvent(KICKED, 0, userId, 0, null, null, null, 0);
    }
}
