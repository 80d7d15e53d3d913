package com.sansam.chat.realtime.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sansam.chat.room.model.RoomEvent;
import com.sansam.chat.room.service.MessageService.RoomUnread;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.CloseReason;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.jboss.logging.Logger;

/**
 * The connections this replica holds, indexed by user and by room, with each connected user's unread state.
 * Fan-out events from every replica arrive here and are turned into frames for the local connections only.
 */
@ApplicationScoped
public class ChatHub {

    private static final Logger LOG = Logger.getLogger(ChatHub.class);

    private final Map<Long, LocalUser> users = new ConcurrentHashMap<>();
    private final Map<Long, Set<Long>> roomUsers = new ConcurrentHashMap<>();
    private final ObjectMapper json;
    /** Frames of room events (messages, reads, joins) written to this replica's connections. */
    private final io.micrometer.core.instrument.Counter roomFrames;
    /** Users whose unread counts new or deleted messages changed since the last badge round. */
    private final Set<Long> badgesDue = ConcurrentHashMap.newKeySet();

    public ChatHub(ObjectMapper json, MeterRegistry registry) {
        this.json = json;
        registry.gaugeMapSize("sansam_chat_connected_users", List.of(), users);
        this.roomFrames = registry.counter("sansam.chat.deliveries");
        LOG.debugf("Chat frames written to the Vert.x sockets directly: %s", Socket.DIRECT); // warns at startup if not
    }

    /** A connection opened: its user's unread state as the database has it now. */
    public void register(long userId, Socket socket, List<RoomUnread> rooms) {
        LocalUser user = users.computeIfAbsent(userId, id -> new LocalUser());
        synchronized (user) {
            user.connections.add(socket);
            user.rooms.clear();
            for (RoomUnread room : rooms) {
                user.rooms.put(room.roomId(), new RoomState(room.lastRead(), room.newest(), room.unread()));
                roomUsers
                        .computeIfAbsent(room.roomId(), id -> ConcurrentHashMap.newKeySet())
                        .add(userId);
            }
            socket.write(text(badge(user)));
        }
    }

    /** Answers true when that was the user's last connection on this replica. */
    public boolean unregister(long userId, Socket socket) {
        boolean[] gone = {false};
        users.computeIfPresent(userId, (id, user) -> {
            synchronized (user) {
                user.connections.remove(socket);
                if (!user.connections.isEmpty()) {
                    return user;
                }
                user.rooms.keySet().forEach(roomId -> leaveIndex(roomId, userId));
                gone[0] = true;
                return null;
            }
        });
        return gone[0];
    }

    /** Users with at least one connection on this replica. */
    public Set<Long> connectedUsers() {
        return Set.copyOf(users.keySet());
    }

    public void sendTo(Socket socket, Object frame) {
        socket.write(text(frame));
    }

    /** One event from the fan-out, delivered to this replica's connections. */
    public void deliver(RoomEvent event) {
        switch (event.kind()) {
            case RoomEvent.MESSAGE ->
                forRoom(
                        event.roomId(),
                        new ServerFrames.Message(
                                event.roomId(),
                                event.messageId(),
                                event.userId(),
                                event.senderName(),
                                event.content(),
                                event.sentAt(),
                                false),
                        (userId, state) -> state.onMessage(event.messageId(), userId == event.userId()));
            case RoomEvent.DELETED ->
                forRoom(
                        event.roomId(),
                        new ServerFrames.Deleted(event.roomId(), event.messageId()),
                        (userId, state) -> state.onDeleted(event.messageId(), userId == event.userId()));
            case RoomEvent.READ -> {
                forRoom(event.roomId(), new ServerFrames.Read(event.roomId(), event.userId(), event.messageId()), null);
                withUser(event.userId(), user -> {
                    RoomState state = user.rooms.get(event.roomId());
                    if (state != null) {
                        state.onRead(event.messageId(), event.unread());
                        sendAll(user, badge(user));
                    }
                });
            }
            case RoomEvent.JOINED ->
                withUser(event.userId(), user -> {
                    user.rooms.putIfAbsent(event.roomId(), new RoomState(event.messageId(), event.messageId(), 0));
                    roomUsers
                            .computeIfAbsent(event.roomId(), id -> ConcurrentHashMap.newKeySet())
                            .add(event.userId());
                    sendAll(user, badge(user));
                });
            case RoomEvent.LEFT ->
                withUser(event.userId(), user -> {
                    user.rooms.remove(event.roomId());
                    leaveIndex(event.roomId(), event.userId());
                    sendAll(user, badge(user));
                });
            case RoomEvent.KICKED ->
                withUser(
                        event.userId(),
                        user -> user.connections.forEach(socket -> socket.connection()
                                .close(new CloseReason(1008, "account withdrawn"))
                                .subscribe()
                                .with(ok -> {}, e -> {})));
            default -> LOG.debugf("Ignoring fan-out event %s", event.kind());
        }
    }

    private interface StateChange {
        /** Applies the event to one local member's state; true when their unread count changed. */
        boolean apply(long userId, RoomState state);
    }

    private void forRoom(long roomId, Object frame, StateChange change) {
        Set<Long> members = roomUsers.get(roomId);
        if (members == null || members.isEmpty()) {
            return;
        }
        String text = text(frame); // encoded once for every member
        Map<EventLoop, List<Socket>> byLoop = new HashMap<>();
        for (Long userId : members) {
            withUser(userId, user -> {
                RoomState state = user.rooms.get(roomId);
                if (state == null) {
                    return;
                }
                if (change != null && change.apply(userId, state)) {
                    badgesDue.add(userId);
                }
                for (Socket socket : user.connections) {
                    byLoop.computeIfAbsent(socket.loop, loop -> new ArrayList<>())
                            .add(socket);
                }
            });
        }
        // one task per event loop writes the frame to all of that loop's members (in fan-out order: tasks run FIFO)
        int frames = 0;
        for (Map.Entry<EventLoop, List<Socket>> group : byLoop.entrySet()) {
            EventLoop loop = group.getKey();
            List<Socket> sockets = group.getValue();
            frames += sockets.size();
            if (loop == null) {
                sockets.forEach(socket -> socket.write(text));
            } else if (loop.inEventLoop()) {
                sockets.forEach(socket -> socket.writeHere(text));
            } else {
                loop.execute(() -> sockets.forEach(socket -> socket.writeHere(text)));
            }
        }
        roomFrames.increment(frames);
    }

    /**
     * One badge frame per user whose counts messages changed since the last round, with the counts as they are now
     * (so a room busy with twenty messages a second costs each member a few badge frames a second, not twenty).
     */
    @Scheduled(every = "${sansam.chat.badge-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendDueBadges() {
        for (java.util.Iterator<Long> due = badgesDue.iterator(); due.hasNext(); ) {
            Long userId = due.next();
            due.remove(); // a change after this is sent in the next round
            withUser(userId, user -> sendAll(user, badge(user)));
        }
    }

    private void withUser(long userId, java.util.function.Consumer<LocalUser> action) {
        LocalUser user = users.get(userId);
        if (user != null) {
            synchronized (user) {
                action.accept(user);
            }
        }
    }

    private void leaveIndex(long roomId, long userId) {
        roomUsers.computeIfPresent(roomId, (id, members) -> {
            members.remove(userId);
            return members.isEmpty() ? null : members;
        });
    }

    private static ServerFrames.Badge badge(LocalUser user) {
        Map<String, Long> counts = new LinkedHashMap<>();
        new HashMap<>(user.rooms).forEach((roomId, state) -> counts.put(Long.toString(roomId), state.unread));
        return new ServerFrames.Badge(counts);
    }

    private void sendAll(LocalUser user, Object frame) {
        String text = text(frame);
        user.connections.forEach(socket -> socket.write(text));
    }

    private String text(Object frame) {
        try {
            return json.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A user with at least one connection on this replica. Guarded by its own monitor. */
    private static final class LocalUser {
        final Set<Socket> connections = new CopyOnWriteArraySet<>();
        final Map<Long, RoomState> rooms = new HashMap<>();
    }

    /** One member's view of a room: read mark, newest message seen, unread count. */
    private static final class RoomState {
        long lastRead;
        long highWater;
        long unread;

        RoomState(long lastRead, long highWater, long unread) {
            this.lastRead = lastRead;
            this.highWater = Math.max(lastRead, highWater);
            this.unread = unread;
        }

        boolean onMessage(long messageId, boolean own) {
            if (messageId <= highWater) {
                return false; // already counted in the state loaded from the database
            }
            highWater = messageId;
            if (own) {
                // sending moves one's read mark to one's own message (MessageService.send): all before it is read
                lastRead = Math.max(lastRead, messageId);
                boolean changed = unread != 0;
                unread = 0;
                return changed;
            }
            unread++;
            return true;
        }

        boolean onDeleted(long messageId, boolean own) {
            if (own || messageId <= lastRead || messageId > highWater || unread == 0) {
                return false;
            }
            unread--;
            return true;
        }

        void onRead(long messageId, long unreadNow) {
            lastRead = Math.max(lastRead, messageId);
            unread = unreadNow;
        }
    }
}
