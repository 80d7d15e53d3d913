package com.sansam.chat.room.service;

import com.sansam.chat.config.ChatConfig;
import com.sansam.chat.room.model.ChatMember;
import com.sansam.chat.room.model.ChatMessage;
import com.sansam.chat.room.model.ChatRoom;
import com.sansam.chat.room.model.RoomDtos.MessagePage;
import com.sansam.chat.room.model.RoomDtos.MessageView;
import com.sansam.chat.room.model.RoomEvent;
import com.sansam.chat.user.model.ChatUser;
import com.sansam.runtime.problem.Refusal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages once sent ({@link MessageSends}): history, resume after a reconnect, read marks and unread counts, deleting
 * one's own message. Every committed change is fanned out to all gateway replicas.
 */
@ApplicationScoped
public class MessageService {

    /**
     * The unread rule, in one place: a member's ({@code mm}, a chat_member row) unread messages are those after
     * their read mark, not their own, not deleted; counted up to 1000.
     */
    public static final String UNREAD_COUNT = """
            (select count(*) from (select 1 from chat_message x
              where x.room_id = mm.room_id and x.id > mm.last_read_message_id and x.sender_id <> mm.user_id
                and x.deleted_at is null limit 1000) capped)""";

    static final String MESSAGE_COLUMNS = """
            select m.id, m.room_id, m.sender_id, coalesce(u.name, '') as sender_name, m.content, m.sent_at, m.deleted_at
            from chat_message m left join chat_user u on u.user_id = m.sender_id""";

    private final Pool pool;
    private final RoomEvents fanout;
    private final ChatConfig config;

    public MessageService(Pool pool, RoomEvents fanout, ChatConfig config) {
        this.pool = pool;
        this.fanout = fanout;
        this.config = config;
    }

    /** History, newest page first: messages before {@code before} (all when absent). Members only. */
    public Uni<MessagePage> history(long userId, long roomId, Long before, Integer size) {
        int limit = size == null ? config.pageSize() : size;
        if (limit < 1 || limit > config.maxPageSize()) {
            throw Refusal.invalid("size", "size must be 1 to " + config.maxPageSize());
        }
        return checkMember(roomId, userId)
                .chain(() -> pool.preparedQuery(
                                MESSAGE_COLUMNS + " where m.room_id = $1 and m.id < $2 order by m.id desc limit $3")
                        .execute(Tuple.of(roomId, before == null ? Long.MAX_VALUE : before, limit + 1)))
                .map(rows -> {
                    List<MessageView> messages = views(rows);
                    Long next = null;
                    if (messages.size() > limit) {
                        messages = messages.subList(0, limit);
                        next = messages.get(limit - 1).messageId();
                    }
                    return new MessagePage(List.copyOf(messages), next);
                });
    }

    /** What a reconnecting member missed: messages after {@code afterMessageId}, oldest first (at most maxResume). */
    public Uni<List<MessageView>> resume(long userId, long roomId, long afterMessageId) {
        return checkMember(roomId, userId)
                .chain(() -> pool.preparedQuery(
                                MESSAGE_COLUMNS + " where m.room_id = $1 and m.id > $2 order by m.id limit $3")
                        .execute(Tuple.of(roomId, afterMessageId, config.maxResume())))
                .map(MessageService::views);
    }

    /**
     * The room's messages after {@code afterId} and before {@code beforeId}, oldest first, as message events: what a
     * receiving replica missed between two messages it saw (a fan-out that came late, or never). Messages deleted
     * since are left out (there is nothing to show of them).
     */
    public Uni<List<RoomEvent>> between(long roomId, long afterId, long beforeId) {
        return pool.preparedQuery(
                        MESSAGE_COLUMNS
                                + " where m.room_id = $1 and m.id > $2 and m.id < $3 and m.deleted_at is null order by m.id limit $4")
                .execute(Tuple.of(roomId, afterId, beforeId, config.maxResume()))
                .map(rows -> {
                    List<RoomEvent> events = new ArrayList<>();
                    long before = afterId;
                    for (MessageView message : views(rows)) {
                        events.add(RoomEvent.message(
                                roomId,
                                message.senderId(),
                                message.messageId(),
                                message.senderName(),
                                message.content(),
                                message.sentAt(),
                                null,
                                before));
                        before = message.messageId();
                    }
                    return events;
                });
    }

    /**
     * Moves the member's read mark forward to {@code messageId} (never back, never past the newest message);
     * read receipts and badges follow through the fan-out.
     */
    public Uni<Long> markRead(long userId, long roomId, long messageId) {
        return Panache.withTransaction(() -> requireMember(roomId, userId)
                        .chain(member -> ChatRoom.<ChatRoom>findById(roomId).map(room -> {
                            long newest = room.lastMessageId;
                            long mark = Math.max(member.lastReadMessageId, Math.min(messageId, newest));
                            boolean moved = mark > member.lastReadMessageId;
                            member.lastReadMessageId = mark;
                            return moved ? mark : -1L;
                        })))
                .call(mark -> mark < 0
                        ? Uni.createFrom().voidItem()
                        : unreadIn(userId, roomId)
                                .chain(unread -> fanout.publish(RoomEvent.read(roomId, userId, mark, unread))));
    }

    /** Deletes one's own message: others then see it as deleted. Deleting it again changes nothing. */
    public Uni<Void> delete(long userId, long roomId, long messageId) {
        return Panache.withTransaction(() -> ChatMessage.<ChatMessage>findById(messageId)
                        .chain(message -> {
                            if (message == null || message.roomId != roomId) {
                                throw Refusal.notFound("no message " + messageId + " in room " + roomId);
                            }
                            if (message.senderId != userId) {
                                throw Refusal.forbidden("only its sender may delete a message");
                            }
                            if (message.deleted()) {
                                return Uni.createFrom().item(false);
                            }
                            message.deletedAt = RoomService.now();
                            message.content = "";
                            return Uni.createFrom().item(true);
                        }))
                .call(deleted -> deleted
                        ? fanout.publish(RoomEvent.deleted(roomId, userId, messageId))
                        : Uni.createFrom().voidItem())
                .replaceWithVoid();
    }

    /** Per room the user is in: read mark, newest message id and unread count (capped at 1000). */
    public record RoomUnread(long roomId, long lastRead, long newest, long unread) {}

    public Uni<List<RoomUnread>> unread(long userId) {
        return pool.preparedQuery("select mm.room_id, mm.last_read_message_id, r.last_message_id, " + UNREAD_COUNT
                        + " as unread from chat_member mm join chat_room r on r.id = mm.room_id where mm.user_id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<RoomUnread> result = new ArrayList<>();
                    for (Row row : rows) {
                        result.add(new RoomUnread(row.getLong(0), row.getLong(1), row.getLong(2), row.getLong(3)));
                    }
                    return result;
                });
    }

    /** The member's unread count in the room, from their committed read mark. */
    private Uni<Long> unreadIn(long userId, long roomId) {
        return pool.preparedQuery(
                        "select " + UNREAD_COUNT + " from chat_member mm where mm.room_id = $1 and mm.user_id = $2")
                .execute(Tuple.of(roomId, userId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private static Uni<ChatMember> requireMember(long roomId, long userId) {
        return ChatMember.find(roomId, userId).chain(member -> {
            if (member != null) {
                return Uni.createFrom().item(member);
            }
            return ChatRoom.count("id", roomId)
                    .chain(count -> Uni.createFrom()
                            .<ChatMember>failure(
                                    count > 0
                                            ? Refusal.forbidden("join room " + roomId + " first")
                                            : Refusal.notFound("no chat room " + roomId)));
        });
    }

    private Uni<Void> checkMember(long roomId, long userId) {
        return pool.preparedQuery("""
                select m.user_id from chat_room r left join chat_member m on m.room_id = r.id and m.user_id = $2
                where r.id = $1""").execute(Tuple.of(roomId, userId)).map(rows -> {
            if (rows.size() == 0) {
                throw Refusal.notFound("no chat room " + roomId);
            }
            if (rows.iterator().next().getLong(0) == null) {
                throw Refusal.forbidden("join room " + roomId + " first");
            }
            return null;
        });
    }

    static Uni<String> senderName(long userId) {
        return ChatUser.<ChatUser>findById(userId).map(user -> user == null ? "" : user.name);
    }

    private static MessageView view(ChatMessage message, String senderName) {
        return new MessageView(
                message.id,
                message.roomId,
                message.senderId,
                senderName,
                message.deleted() ? null : message.content,
                message.sentAt,
                message.deleted());
    }

    static List<MessageView> views(Iterable<Row> rows) {
        List<MessageView> messages = new ArrayList<>();
        for (Row row : rows) {
            boolean deleted = row.getValue("deleted_at") != null;
            messages.add(new MessageView(
                    row.getLong("id"),
                    row.getLong("room_id"),
                    row.getLong("sender_id"),
                    row.getString("sender_name"),
                    deleted ? null : row.getString("content"),
                    row.getOffsetDateTime("sent_at").toInstant(),
                    deleted));
        }
        return messages;
    }
}
