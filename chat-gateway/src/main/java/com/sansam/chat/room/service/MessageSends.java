package com.sansam.chat.room.service;

import com.sansam.chat.config.ChatConfig;
import com.sansam.chat.room.model.RoomDtos.MessageView;
import com.sansam.chat.room.model.RoomEvent;
import com.sansam.messages.ChatEvents;
import com.sansam.messages.Messages;
import com.sansam.runtime.async.GroupCommit;
import com.sansam.runtime.outbox.Outbox;
import com.sansam.runtime.outbox.OutboxRelay;
import com.sansam.runtime.problem.Refusal;
import com.sansam.runtime.tracing.MessageTraces;
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
 * Sending messages: stored before they are acknowledged, once per client message id, many sends to a transaction
 * ({@link GroupCommit}); members who are offline and had caught up are told by the outbox; every committed message
 * is fanned out to all gateway replicas.
 */
@ApplicationScoped
public class MessageSends {

    private final Pool pool;
    private final RoomEvents fanout;
    private final ChatConfig config;
    private final OnlineMembers presence;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final RateLimits limits;
    private final GroupCommit<SendRequest, SendOutcome> sends;

    public MessageSends(
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
            throw Refusal.invalid("clientMsgId", "clientMsgId must be 1 to 64 characters");
        }
        if (content == null || content.isBlank()) {
            throw Refusal.invalid("content", "content must not be empty");
        }
        if (content.length() > config.maxMessageLength()) {
            throw Refusal.invalid("content", "content must be at most " + config.maxMessageLength() + " characters");
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
    private record SendOutcome(Sent sent, Refusal refused) {}

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
                                    outcomes[i] =
                                            new SendOutcome(null, Refusal.notFound("no chat room " + send.roomId()));
                                } else {
                                    Row row = rows.iterator().next();
                                    Long inserted = row.getLong("inserted_id");
                                    if (!row.getBoolean("member")) {
                                        outcomes[i] = new SendOutcome(
                                                null, Refusal.forbidden("join room " + send.roomId() + " first"));
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
                                        .preparedQuery(MessageService.MESSAGE_COLUMNS
                                                + " where m.room_id = $1 and m.sender_id = $2 and m.client_msg_id = $3")
                                        .execute(Tuple.of(send.roomId(), send.userId(), send.clientMsgId()))
                                        .invoke(stored -> outcomes[i] = new SendOutcome(
                                                new Sent(
                                                        MessageService.views(stored)
                                                                .get(0),
                                                        false),
                                                null))
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
}
