package com.sansam.chat.realtime.socket;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sansam.chat.realtime.fanout.Fanout;
import com.sansam.chat.realtime.hub.ChatHub;
import com.sansam.chat.realtime.hub.Presence;
import com.sansam.chat.realtime.hub.ServerFrames;
import com.sansam.chat.realtime.hub.Socket;
import com.sansam.chat.room.service.MessageSends;
import com.sansam.chat.room.service.MessageService;
import com.sansam.chat.user.model.ChatUser;
import com.sansam.runtime.problem.Refusal;
import com.sansam.runtime.session.SessionIdentityProvider;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * The realtime chat endpoint. The HTTP upgrade is authenticated by the SESSION cookie (no cookie or an ended
 * session: 401, no WebSocket). Frames are JSON (docs/chat.md "Chat frames"); each connection's frames are handled
 * one after another, in order.
 */
@WebSocket(path = "/ws/chat")
@Authenticated
public class ChatSocket {

    static final TypedKey<Long> USER_ID = TypedKey.forLong("userId");
    static final TypedKey<String> SESSION_ID = TypedKey.forString("sessionId");
    private static final TypedKey<Socket> SOCKET = new TypedKey<>("socket");

    private static final Logger LOG = Logger.getLogger(ChatSocket.class);
    private static final AttributeKey<String> CLIENT_MSG_ID = AttributeKey.stringKey("sansam.client_msg_id");

    /** What a client sends; which fields matter depends on {@code type} (send, read, resume). */
    public record ClientFrame(
            String type, Long roomId, String clientMsgId, String content, Long messageId, Long afterMessageId) {}

    private final SecurityIdentity identity;
    private final MessageService messages;
    private final MessageSends sends;
    private final ChatHub hub;
    private final ObjectMapper json;
    private final Presence presence;
    private final Tracer tracer;

    public ChatSocket(
            SecurityIdentity identity,
            MessageService messages,
            MessageSends sends,
            ChatHub hub,
            ObjectMapper json,
            Presence presence,
            Tracer tracer) {
        this.tracer = tracer;
        this.presence = presence;
        this.identity = identity;
        this.messages = messages;
        this.sends = sends;
        this.hub = hub;
        this.json = json;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        long userId = Long.parseLong(identity.getPrincipal().getName());
        connection.userData().put(USER_ID, userId);
        connection
                .userData()
                .put(SESSION_ID, identity.<String>getAttribute(SessionIdentityProvider.SESSION_ID_ATTRIBUTE));
        Socket socket = Socket.open(connection); // here, on the connection's own event loop
        connection.userData().put(SOCKET, socket);
        return Panache.withSession(() -> ChatUser.<ChatUser>findById(userId)).chain(user -> {
            if (user != null && user.withdrawn) {
                return connection.close(new CloseReason(1008, "account withdrawn"));
            }
            return messages.unread(userId)
                    .invoke(rooms -> hub.register(userId, socket, rooms))
                    .chain(() -> presence.online(userId));
        });
    }

    @OnTextMessage
    public Uni<Void> onText(String text, WebSocketConnection connection) {
        long userId = connection.userData().get(USER_ID);
        Socket socket = connection.userData().get(SOCKET);
        ClientFrame frame;
        try {
            frame = json.readValue(text, ClientFrame.class);
        } catch (Exception e) {
            frame = null;
        }
        if (frame == null) { // not JSON, not an object ("null", a number, an array), or text with control characters
            return error(socket, "bad_request", "a frame is a JSON object with a type", null);
        }
        String clientMsgId = frame.clientMsgId();
        Uni<Void> handled;
        try {
            handled = switch (frame.type() == null ? "" : frame.type()) {
                case "send" ->
                    send(userId, roomId(frame), clientMsgId, frame.content())
                            .invoke(sent -> hub.sendTo(
                                    socket,
                                    new ServerFrames.Ack(
                                            clientMsgId,
                                            sent.message().messageId(),
                                            sent.message().sentAt())))
                            .replaceWithVoid();
                case "read" ->
                    messages.markRead(userId, roomId(frame), required("messageId", frame.messageId()))
                            .replaceWithVoid();
                case "resume" ->
                    messages.resume(userId, roomId(frame), frame.afterMessageId() == null ? 0 : frame.afterMessageId())
                            .invoke(missed -> missed.forEach(m -> hub.sendTo(
                                    socket,
                                    new ServerFrames.Message(
                                            m.roomId(),
                                            m.messageId(),
                                            m.senderId(),
                                            m.senderName(),
                                            m.content(),
                                            m.sentAt(),
                                            m.deleted()))))
                            .replaceWithVoid();
                default -> throw Refusal.invalid("type", "type must be send, read or resume");
            };
        } catch (Refusal e) {
            return error(socket, e, clientMsgId);
        }
        return handled.onFailure().recoverWithUni(e -> error(socket, e, clientMsgId));
    }

    /**
     * A send in a span of its own (a WebSocket frame has no request span): the message carries it to every replica,
     * whose delivery spans join it (docs/operations.md "Operating it").
     */
    private Uni<MessageSends.Sent> send(long userId, long roomId, String clientMsgId, String content) {
        Span span = tracer.spanBuilder("chat send")
                .setSpanKind(SpanKind.SERVER)
                .setNoParent()
                .setAttribute(Fanout.ROOM, roomId)
                .setAttribute(CLIENT_MSG_ID, String.valueOf(clientMsgId))
                .startSpan();
        Uni<MessageSends.Sent> sending;
        try (Scope ignored = span.makeCurrent()) { // the service reads the span when called, not later
            sending = sends.send(userId, roomId, clientMsgId, content);
        } catch (RuntimeException refused) {
            span.recordException(refused).end();
            throw refused;
        }
        return sending.onTermination().invoke((sent, failure, cancelled) -> {
            if (failure != null) {
                span.recordException(failure).setStatus(StatusCode.ERROR);
            }
            span.end();
        });
    }

    @OnClose
    public Uni<Void> onClose(WebSocketConnection connection) {
        Long userId = connection.userData().get(USER_ID);
        Socket socket = connection.userData().get(SOCKET);
        if (userId != null && socket != null && hub.unregister(userId, socket)) {
            return presence.offline(userId);
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> error(Socket socket, Throwable failure, String clientMsgId) {
        if (failure instanceof Refusal refusal) {
            String code = switch (refusal.reason()) {
                case INVALID -> "bad_request";
                case FORBIDDEN -> "forbidden";
                case NOT_FOUND -> "not_found";
                case CONFLICT -> "conflict";
                case TOO_OFTEN -> "rate_limited";
                default -> "error";
            };
            return error(socket, code, refusal.getMessage(), clientMsgId);
        }
        LOG.warnf(
                failure,
                "Chat frame failed for connection %s",
                socket.connection().id());
        return error(socket, "unavailable", "the message could not be handled; try again", clientMsgId);
    }

    private Uni<Void> error(Socket socket, String code, String detail, String clientMsgId) {
        hub.sendTo(socket, new ServerFrames.Error(code, detail, clientMsgId));
        return Uni.createFrom().voidItem();
    }

    private static long roomId(ClientFrame frame) {
        return required("roomId", frame.roomId());
    }

    private static long required(String field, Long value) {
        if (value == null) {
            throw Refusal.invalid(field, field + " is required");
        }
        return value;
    }
}
