package com.sansam.messages;

/** Facts the chat-gateway publishes (commerce-api turns them into in-site notices). Aggregate: room id. */
public final class ChatEvents {

    private ChatEvents() {}

    /**
     * A member who is connected nowhere got their first unread message in a room (their unread count went from
     * 0 to 1); further messages do not repeat it until they have read the room again.
     */
    public record ChatMessageUnread(long userId, long roomId, String roomName, String senderName, long messageId) {}
}
