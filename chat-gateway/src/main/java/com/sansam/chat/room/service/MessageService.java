package com.sansam.chat.room.service;

import com.sansam.chat.config.ChatConfig;
import com.sansam.chat.room.model.ChatMember;
import com.sansam.chat.room.model.ChatMessage;
import com.sansam.chat.room.model.ChatRoom;
import com.sansam.chat.room.model.RoomDtos.MessagePage;
import com.sansam.chat.room.model.RoomDtos.MessageView;
import com.sansam.chat.room.model.RoomEvent;
import com.sansam.chat.user.model.ChatUser;
import com.sansam.messages.ChatEvents;
import com.sansam.messages.Messages;
import com.sansam.runtime.outbox.Outbox;
import com.sansam.runtime.outbox.OutboxRelay;
import com.sansam.runtime.problem.ApiException;
import com.sansam.runtime.tracing.MessageTraces;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages: sending (stored before it is acknowledged, once per client message id), history, resume after a
 * reconnect, read marks and unread counts, deleting one's own message. Every committed change is fanned out
 * to all gateway replicas.
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

    private static final String MESSAGE_COLUMNS = """
            select m.id, m.room_id, m.sender_id, coalesce(u.name, '') as sender_name, m.content, m.sent_at, m.deleted_at
            from chat_message m left join chat_user u on u.user_id = m.sender_id""";

    private final Pool pool;
    private final RoomEvents fanout;
    private final ChatConfig config;
    private final OnlineMembers presence;
    private final Outbox outbox;
    private final OutboxRelay relay;

    private final RateLimits limits;
    private final GroupCommit<SendRequest, SendOutcome> sends;

    public MessageService(
            Pool pool,
            RoomEvents fanout,
            ChatConfig config,
            OnlineMembers presence,
            Outbox outbox,
            OutboxRelay relay,
            RateLimits limits) {
        this.limits = limits;
        this.sends = new GroupCommit<>(config.sendWriters(), config.maxSendBatch(), this::writeSends);
        this.presence = presence;
        this.outbox = outbox;
        this.relay = relay;
        this.pool = pool;
        this.fanout = fanout;
        this.config = config;
    }

    /** A stored message; {@code fresh} is false when the client had already sent this clientMsgId. */
    public record Sent(MessageView message, boolean fresh) {}

    /*
     * A send in one statement, under the room's row lock (taken first: sends to one room are serialised, so ids grow
     * in commit order): the member check, the message (once per clientMsgId: the unique key), the room's newest
     * message, the sender's read mark (one has read one's own message), the sender's name, the room's name and the
     * members who had read everything before it (for the offline notice). A resend inserts nothing; it answers the
     * message stored first.
     */
    private static final String SEND = """
            with room as (select id, last_message_id, name from chat_room where id = $1 for update),
            member as (select m.user_id from chat_member m join room r on r.id = m.room_id where m.user_id = $2),
            inserted as (insert into chat_message (room_id, sender_id, client_msg_id, content, sent_at)
                         select $1, $2, $3, $4, $5 from member
                         on conflict (room_id, sender_id, client_msg_id) do nothing
                         returning id, sent_at),
            room_moved as (update chat_room r set last_message_id = i.id, last_activity_at = i.sent_at
                           from inserted i where r.id = $1),
            read_own as (update chat_member m set last_read_message_id = greatest(m.last_read_message_id, i.id)
                         from inserted i where m.room_id = $1 and m.user_id = $2)
            select exists (select 1 from member) as member, i.id as inserted_id, i.sent_at as inserted_at, r.name as room_name,
                   r.last_message_id as previous_id,
                   (select coalesce(u.name, '') from chat_user u where u.user_id = $2) as sender_name,
                   case when i.id is null then null else array(select cm.user_id from chat_member cm
                        where cm.room_id = $1 and cm.user_id <> $2 and cm.last_read_message_id >= r.last_message_id) end as caught_up
            from room r left join inserted i on true""";

    public Uni<Sent> send(long userId, long roomId, String clientMsgId, String content) {
        if (clientMsgId == null || clientMsgId.isBlank() || clientMsgId.length() > 64) {
            throw ApiException.badRequest("clientMsgId", "clientMsgId must be 1 to 64 characters");
        }
        if (content == null || content.isBlank()) {
            throw ApiException.badRequest("content", "content must not be empty");
        }
        if (content.length() > config.maxMessageLength()) {
            throw ApiException.badRequest(
                    "content", "content must be at most " + config.maxMessageLength() + " characters");
        }
        String trace = MessageTraces.current(); // the send's span (the WebSocket frame's, or the HTTP request's)
        return limits.send(userId)
                .chain(() -> sends.submit(
                        roomId, new SendRequest(userId, roomId, clientMsgId, content, RoomService.now(), trace)))
                .chain(outcome -> outcome.refused() != null
                        ? Uni.createFrom().<Sent>failure(outcome.refused())
                        : Uni.createFrom().item(outcome.sent()));
    }

    private record SendRequest(
            long userId, long roomId, String clientMsgId, String content, Instant at, String trace) {}

    /** What one send came to: a message stored (now or by an earlier resend), or a refusal. */
    private record SendOutcome(Sent sent, ApiException refused) {}

    /** A fresh message whose {@code caughtUp} members may be told of it when they are offline. */
    private record Unread(
            SendRequest request, String roomName, String senderName, long messageId, List<Long> caughtUp) {}

    /**
     * Sends that arrived together, in one transaction (group commit, {@link GroupCommit}): the statement runs once per
     * send, in room order (a room's own sends keep their arrival order), so batches take room locks in one order.
     * After the commit the batch's new messages are announced in one fan-out event, in id order, before the next
     * batch of their rooms is written: every replica hears a room's messages in the order of their ids.
     */
    private Uni<List<SendOutcome>> writeSends(List<SendRequest> batch) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            order.add(i);
        }
        order.sort(java.util.Comparator.comparingLong(i -> batch.get(i).roomId())); // stable
        List<Tuple> statements = order.stream()
                .map(batch::get)
                .map(send -> Tuple.of(
                        send.roomId(),
                        send.userId(),
                        send.clientMsgId(),
                        send.content(),
                        send.at().atOffset(java.time.ZoneOffset.UTC)))
                .toList();
        SendOutcome[] outcomes = new SendOutcome[batch.size()];
        long[] previous = new long[batch.size()]; // the room's message before each new one (RoomEvent.previousId)
        boolean[] wroteOutbox = {false}; // most sends tell nobody offline: then there is nothing to relay
        return pool.withTransaction(connection -> connection
                        .preparedQuery(SEND)
                        .executeBatch(statements)
                        .chain(first -> {
                            List<Integer> resends = new ArrayList<>();
                            List<Unread> unread = new ArrayList<>();
                            RowSet<Row> rows = first;
                            for (int i : order) {
                                SendRequest send = batch.get(i);
                                if (rows.size() == 0) {
                                    outcomes[i] = new SendOutcome(
                                            null, ApiException.notFound("no chat room " + send.roomId()));
                                } else {
                                    Row row = rows.iterator().next();
                                    Long inserted = row.getLong("inserted_id");
                                    if (!row.getBoolean("member")) {
                                        outcomes[i] = new SendOutcome(
                                                null, ApiException.forbidden("join room " + send.roomId() + " first"));
                                    } else if (inserted == null) {
                                        resends.add(i); // the message stored first, read below
                                    } else {
                                        String name = row.getString("sender_name");
                                        previous[i] = row.getLong("previous_id");
                                        outcomes[i] = new SendOutcome(
                                                new Sent(
                                                        new MessageView(
                                                                inserted,
                                                                send.roomId(),
                                                                send.userId(),
                                                                name,
                                                                send.content(),
                                                                row.getOffsetDateTime("inserted_at")
                                                                        .toInstant(),
                                                                false),
                                                        true),
                                                null);
                                        Long[] caughtUp = row.getArrayOfLongs("caught_up");
                                        if (caughtUp != null && caughtUp.length > 0) {
                                            unread.add(new Unread(
                                                    send,
                                                    row.getString("room_name"),
                                                    name,
                                                    inserted,
                                                    List.of(caughtUp)));
                                        }
                                    }
                                }
                                rows = rows.next();
                            }
                            Uni<Void> resent = Uni.createFrom().voidItem();
                            for (int i : resends) {
                                SendRequest send = batch.get(i);
                                resent = resent.chain(() -> connection
                                        .preparedQuery(MESSAGE_COLUMNS
                                                + " where m.room_id = $1 and m.sender_id = $2 and m.client_msg_id = $3")
                                        .execute(Tuple.of(send.roomId(), send.userId(), send.clientMsgId()))
                                        .invoke(stored -> outcomes[i] = new SendOutcome(
                                                new Sent(views(stored).get(0), false), null))
                                        .replaceWithVoid());
                            }
                            return resent.chain(() -> tellOfflineMembers(connection, unread))
                                    .invoke(wrote -> wroteOutbox[0] = wrote);
                        }))
                .chain(() -> {
                    if (wroteOutbox[0]) {
                        relay.nudge();
                    }
                    List<RoomEvent> fresh = new ArrayList<>();
                    for (int i : order) {
                        Sent sent = outcomes[i].sent();
                        if (sent != null && sent.fresh()) {
                            SendRequest send = batch.get(i);
                            fresh.add(RoomEvent.message(
                                    send.roomId(),
                                    send.userId(),
                                    sent.message().messageId(),
                                    sent.message().senderName(),
                                    send.content(),
                                    sent.message().sentAt(),
                                    send.trace(),
                                    previous[i]));
                        }
                    }
                    return fanout.publish(fresh).replaceWith(List.of(outcomes));
                });
    }

    /**
     * Members connected nowhere whose unread count in the room goes from 0 to 1 with a message ({@code caughtUp}:
     * they had read everything before it) get one {@code ChatMessageUnread} (through the outbox, in the send's
     * transaction): commerce-api shows it as an in-site notice. Later messages do not repeat it until they have
     * read the room again. Answers whether it wrote any.
     */
    private Uni<Boolean> tellOfflineMembers(io.vertx.mutiny.sqlclient.SqlConnection connection, List<Unread> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        java.util.Set<Long> candidates = new java.util.LinkedHashSet<>();
        messages.forEach(message -> candidates.addAll(message.caughtUp()));
        return presence.offlineAmong(candidates).map(java.util.Set::copyOf).chain(offline -> {
            List<Outbox.Pending> notices = new ArrayList<>();
            for (Unread message : messages) {
                long roomId = message.request().roomId();
                message.caughtUp().stream()
                        .filter(offline::contains)
                        .forEach(userId -> notices.add(new Outbox.Pending(
                                Messages.CHAT_EVENTS_EXCHANGE,
                                "room",
                                Long.toString(roomId),
                                new ChatEvents.ChatMessageUnread(
                                        userId, roomId, message.roomName(), message.senderName(), message.messageId()),
                                message.request().trace())));
            }
            return outbox.addAll(connection, notices).replaceWith(!notices.isEmpty());
        });
    }

    /** History, newest page first: messages before {@code before} (all when absent). Members only. */
    public Uni<MessagePage> history(long userId, long roomId, Long before, Integer size) {
        int limit = size == null ? config.pageSize() : size;
        if (limit < 1 || limit > config.maxPageSize()) {
            throw ApiException.badRequest("size", "size must be 1 to " + config.maxPageSize());
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
                                throw ApiException.notFound("no message " + messageId + " in room " + roomId);
                            }
                            if (message.senderId != userId) {
                                throw ApiException.forbidden("only its sender may delete a message");
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
                                            ? ApiException.forbidden("join room " + roomId + " first")
                                            : ApiException.notFound("no chat room " + roomId)));
        });
    }

    private Uni<Void> checkMember(long roomId, long userId) {
        return pool.preparedQuery("""
                select m.user_id from chat_room r left join chat_member m on m.room_id = r.id and m.user_id = $2
                where r.id = $1""").execute(Tuple.of(roomId, userId)).map(rows -> {
            if (rows.size() == 0) {
                throw ApiException.notFound("no chat room " + roomId);
            }
            if (rows.iterator().next().getLong(0) == null) {
                throw ApiException.forbidden("join room " + roomId + " first");
            }
            return null;
        });
    }

    private static Uni<String> senderName(long userId) {
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

    private static List<MessageView> views(Iterable<Row> rows) {
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
