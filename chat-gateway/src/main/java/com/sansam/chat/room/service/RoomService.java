package com.sansam.chat.room.service;

import com.sansam.chat.config.ChatConfig;
import com.sansam.chat.room.model.ChatMember;
import com.sansam.chat.room.model.ChatRoom;
import com.sansam.chat.room.model.RoomDtos.CreateRoom;
import com.sansam.chat.room.model.RoomDtos.LastMessage;
import com.sansam.chat.room.model.RoomDtos.MyRoom;
import com.sansam.chat.room.model.RoomDtos.RoomPage;
import com.sansam.chat.room.model.RoomDtos.RoomView;
import com.sansam.chat.room.model.RoomEvent;
import com.sansam.chat.user.model.ChatUser;
import com.sansam.runtime.paging.KeysetCursor;
import com.sansam.runtime.problem.Refusal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Rooms and membership: creation, search, joining under the room's conditions, leaving. */
@ApplicationScoped
public class RoomService {

    private final Pool pool;
    private final RoomEvents fanout;
    private final ChatConfig config;
    private final RateLimits limits;

    public RoomService(Pool pool, RoomEvents fanout, ChatConfig config, RateLimits limits) {
        this.limits = limits;
        this.pool = pool;
        this.fanout = fanout;
        this.config = config;
    }

    public Uni<RoomView> create(long userId, CreateRoom request) {
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > 60) {
            throw Refusal.invalid("name", "name must be 1 to 60 characters");
        }
        Long minIncome = nonNegative("minAnnualIncome", request.minAnnualIncome());
        Long minSpend = nonNegative("minLifetimeSpend", request.minLifetimeSpend());
        Instant now = now();
        return limits.createRoom(userId)
                .chain(() -> Panache.withTransaction(() -> ChatUser.<ChatUser>findById(userId)
                        .chain(user -> {
                            ChatRoom room = new ChatRoom();
                            room.name = name;
                            room.minAnnualIncome = minIncome;
                            room.minLifetimeSpend = minSpend;
                            room.createdBy = userId;
                            room.createdAt = now;
                            room.lastActivityAt = now;
                            room.memberCount = 1;
                            // The creator joins it, so they must meet the conditions they set.
                            checkConditions(room, user);
                            return room.<ChatRoom>persist()
                                    .call(saved -> member(saved.id, userId, 0).persist());
                        })))
                .call(room -> fanout.publish(RoomEvent.joined(room.id, userId, 0)))
                .map(room -> view(room, true));
    }

    /** Rooms whose name contains {@code q} (any part of a word, Korean too), newest activity first. */
    public Uni<RoomPage> search(long userId, String q, String cursor, Integer size) {
        int limit = pageSize(size);
        StringBuilder sql = new StringBuilder("""
                select r.*, (m.user_id is not null) as joined from chat_room r
                left join chat_member m on m.room_id = r.id and m.user_id = $1 where true""");
        List<Object> args = new ArrayList<>(List.of(userId));
        if (q != null && !q.isBlank()) {
            if (q.length() > 60) {
                throw Refusal.invalid("q", "q must be at most 60 characters");
            }
            args.add("%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            sql.append(" and r.name ilike $").append(args.size());
        }
        if (cursor != null && !cursor.isBlank()) {
            Cursor at = Cursor.parse(cursor);
            args.add(at.activity().atOffset(java.time.ZoneOffset.UTC));
            args.add(at.id());
            sql.append(" and (r.last_activity_at, r.id) < ($")
                    .append(args.size() - 1)
                    .append(", $")
                    .append(args.size())
                    .append(")");
        }
        args.add(limit + 1);
        sql.append(" order by r.last_activity_at desc, r.id desc limit $").append(args.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(rows -> {
            List<RoomView> rooms = new ArrayList<>();
            for (Row row : rows) {
                rooms.add(view(row));
            }
            String next = null;
            if (rooms.size() > limit) {
                rooms = rooms.subList(0, limit);
                RoomView last = rooms.get(limit - 1);
                next = new Cursor(last.lastActivityAt(), last.id()).encode();
            }
            return new RoomPage(List.copyOf(rooms), next);
        });
    }

    /** One room as the caller sees it (whether they are in it); 404 when there is no such room. */
    public Uni<RoomView> one(long userId, long roomId) {
        return pool.preparedQuery("""
                select r.*, (m.user_id is not null) as joined from chat_room r
                left join chat_member m on m.room_id = r.id and m.user_id = $1 where r.id = $2""").execute(Tuple.of(userId, roomId)).map(rows -> {
            if (rows.size() == 0) {
                throw Refusal.notFound("No room " + roomId);
            }
            return view(rows.iterator().next());
        });
    }

    /**
     * The rooms I joined, newest activity first, each with my unread count and its last message; at most
     * {@code size} (default and cap as for searches).
     */
    public Uni<List<MyRoom>> mine(long userId, Integer size) {
        int limit = pageSize(size);
        return pool.preparedQuery("select r.*, true as joined, " + MessageService.UNREAD_COUNT + " as unread," + """
                       lm.id as lm_id, lm.sender_id as lm_sender, u.name as lm_sender_name, lm.content as lm_content,
                       lm.sent_at as lm_sent_at, lm.deleted_at as lm_deleted_at
                from chat_member mm
                join chat_room r on r.id = mm.room_id
                left join chat_message lm on lm.id = r.last_message_id
                left join chat_user u on u.user_id = lm.sender_id
                where mm.user_id = $1
                order by r.last_activity_at desc, r.id desc
                limit $2""")
                .execute(Tuple.of(userId, limit))
                .map(rows -> {
                    List<MyRoom> rooms = new ArrayList<>();
                    for (Row row : rows) {
                        LastMessage last = null;
                        if (row.getLong("lm_id") != null) {
                            boolean deleted = row.getValue("lm_deleted_at") != null;
                            last = new LastMessage(
                                    row.getLong("lm_id"),
                                    row.getLong("lm_sender"),
                                    row.getString("lm_sender_name") == null ? "" : row.getString("lm_sender_name"),
                                    deleted ? null : row.getString("lm_content"),
                                    row.getOffsetDateTime("lm_sent_at").toInstant(),
                                    deleted);
                        }
                        rooms.add(new MyRoom(view(row), row.getLong("unread"), last));
                    }
                    return rooms;
                });
    }

    /** Joins, if the user's facts meet the room's conditions (403 naming the unmet one). Joining twice is a no-op. */
    public Uni<RoomView> join(long userId, long roomId) {
        return Panache.withTransaction(() -> lockRoom(roomId)
                        .chain(room -> ChatMember.find(roomId, userId).chain(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().item(new Joined(room, false));
                            }
                            return ChatUser.<ChatUser>findById(userId).chain(user -> {
                                checkConditions(room, user);
                                room.memberCount++;
                                return member(roomId, userId, room.lastMessageId)
                                        .persist()
                                        .replaceWith(new Joined(room, true));
                            });
                        })))
                .call(joined -> joined.fresh()
                        ? fanout.publish(RoomEvent.joined(roomId, userId, joined.room().lastMessageId))
                        : Uni.createFrom().voidItem())
                .map(joined -> view(joined.room(), true));
    }

    /** Leaves the room; leaving a room one is not in changes nothing. */
    public Uni<Void> leave(long userId, long roomId) {
        return Panache.withTransaction(() -> lockRoom(roomId)
                        .chain(room -> ChatMember.find(roomId, userId).chain(member -> {
                            if (member == null) {
                                return Uni.createFrom().item(false);
                            }
                            room.memberCount = Math.max(0, room.memberCount - 1);
                            return member.delete().replaceWith(true);
                        })))
                .call(left -> left
                        ? fanout.publish(RoomEvent.left(roomId, userId))
                        : Uni.createFrom().voidItem())
                .replaceWithVoid();
    }

    /** A withdrawn user leaves every room (in the caller's transaction); answers the rooms they left. */
    public Uni<List<Long>> removeEverywhere(long userId) {
        return ChatMember.roomsOf(userId)
                .call(rooms -> rooms.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : ChatRoom.update("memberCount = memberCount - 1 where id in ?1 and memberCount > 0", rooms)
                                .chain(() -> ChatMember.delete("userId", userId))
                                .replaceWithVoid());
    }

    private static void checkConditions(ChatRoom room, ChatUser user) {
        if (user != null && user.withdrawn) {
            throw Refusal.forbidden("a withdrawn account cannot join rooms");
        }
        long income = user == null || user.annualIncome == null ? 0 : user.annualIncome;
        long spend = user == null ? 0 : user.lifetimeSpend;
        if (room.minAnnualIncome != null && income < room.minAnnualIncome) {
            throw Refusal.forbidden(
                    "this room needs a declared annual income of at least " + room.minAnnualIncome + " KRW",
                    Map.of("condition", "minAnnualIncome", "required", room.minAnnualIncome));
        }
        if (room.minLifetimeSpend != null && spend < room.minLifetimeSpend) {
            throw Refusal.forbidden(
                    "this room needs lifetime purchases of at least " + room.minLifetimeSpend + " KRW",
                    Map.of("condition", "minLifetimeSpend", "required", room.minLifetimeSpend));
        }
    }

    static Uni<ChatRoom> lockRoom(long roomId) {
        return ChatRoom.<ChatRoom>findById(roomId, LockModeType.PESSIMISTIC_WRITE)
                .onItem()
                .ifNull()
                .failWith(() -> Refusal.notFound("no chat room " + roomId));
    }

    private static ChatMember member(long roomId, long userId, long lastRead) {
        ChatMember member = new ChatMember();
        member.roomId = roomId;
        member.userId = userId;
        member.joinedAt = now();
        member.lastReadMessageId = lastRead;
        return member;
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private int pageSize(Integer size) {
        if (size == null) {
            return config.pageSize();
        }
        if (size < 1 || size > config.maxPageSize()) {
            throw Refusal.invalid("size", "size must be 1 to " + config.maxPageSize());
        }
        return size;
    }

    private static Long nonNegative(String field, Long value) {
        if (value != null && value < 0) {
            throw Refusal.invalid(field, field + " must not be negative");
        }
        return value;
    }

    private static RoomView view(ChatRoom room, boolean joined) {
        return new RoomView(
                room.id,
                room.name,
                room.minAnnualIncome,
                room.minLifetimeSpend,
                room.memberCount,
                room.lastActivityAt,
                joined);
    }

    private static RoomView view(Row row) {
        return new RoomView(
                row.getLong("id"),
                row.getString("name"),
                row.getLong("min_annual_income"),
                row.getLong("min_lifetime_spend"),
                row.getInteger("member_count"),
                row.getOffsetDateTime("last_activity_at").toInstant(),
                row.getBoolean("joined"));
    }

    private record Joined(ChatRoom room, boolean fresh) {}

    /** Keyset position: the last row's activity time (microseconds) and id. */
    private record Cursor(Instant activity, long id) {

        String encode() {
            return KeysetCursor.encode(ChronoUnit.MICROS.between(Instant.EPOCH, activity), id);
        }

        static Cursor parse(String text) {
            long[] parts = KeysetCursor.decodeLongs(text, 2);
            return new Cursor(Instant.EPOCH.plus(parts[0], ChronoUnit.MICROS), parts[1]);
        }
    }
}
