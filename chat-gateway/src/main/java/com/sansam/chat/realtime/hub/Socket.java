package com.sansam.chat.realtime.hub;

import io.netty.channel.EventLoop;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.impl.ContextInternal;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import org.jboss.logging.Logger;

/**
 * One open WebSocket of this replica, written to directly on its own event loop.
 * <p>
 * Why not {@link WebSocketConnection#sendText(String)}: each call builds a Mutiny {@code Uni} over a
 * {@code CompletionStage}, captures and restores the context-propagation state twice and hops to the connection's
 * event loop on its own; at 20,000 frames a second that was a sixth of the gateway's CPU (JFR). Here a
 * room's message is encoded once and written to all its members on one event loop in one task per loop.
 * websockets-next keeps the Vert.x socket behind a package-private accessor; it is read once per connection. Should
 * a Quarkus upgrade move it, {@link #DIRECT} turns false (a startup warning; {@code SocketTest} fails the build) and
 * every write goes through {@code sendText} again, slower but the same frames.
 */
public final class Socket {

    private static final Logger LOG = Logger.getLogger(Socket.class);
    private static final MethodHandle RAW = rawAccessor();
    /** Whether frames are written to the Vert.x socket directly (else through websockets-next's sendText). */
    static final boolean DIRECT = RAW != null;

    private final WebSocketConnection connection;
    private final WebSocketBase raw;
    /** The event loop the connection lives on; null when unknown (then every write goes through sendText). */
    final EventLoop loop;

    private Socket(WebSocketConnection connection, WebSocketBase raw, EventLoop loop) {
        this.connection = connection;
        this.raw = raw;
        this.loop = loop;
    }

    /** Called on the connection's own event loop (its {@code @OnOpen}). */
    public static Socket open(WebSocketConnection connection) {
        Context context = io.vertx.core.Vertx.currentContext();
        EventLoop loop = context instanceof ContextInternal internal && context.isEventLoopContext()
                ? internal.nettyEventLoop()
                : null;
        return new Socket(connection, loop == null ? null : raw(connection), loop);
    }

    /** Writes one text frame; on any thread (a write from another thread hops to the connection's loop). */
    /** The connection this socket writes to. */
    public WebSocketConnection connection() {
        return connection;
    }

    void write(String text) {
        if (raw != null && loop.inEventLoop()) {
            writeHere(text);
        } else if (raw != null) {
            loop.execute(() -> writeHere(text));
        } else if (connection.isOpen()) {
            connection
                    .sendText(text)
                    .subscribe()
                    .with(ok -> {}, e -> LOG.debugf("Send to %s failed: %s", connection.id(), e));
        }
    }

    /** Writes one text frame; only on {@link #loop}. */
    void writeHere(String text) {
        if (raw == null) {
            write(text);
        } else if (!raw.isClosed()) {
            raw.writeTextMessage(text); // a failed write means the socket is closing: its @OnClose unregisters it
        }
    }

    boolean direct() {
        return raw != null;
    }

    private static WebSocketBase raw(WebSocketConnection connection) {
        if (RAW == null) {
            return null;
        }
        try {
            return (WebSocketBase) RAW.invoke(connection);
        } catch (Throwable e) {
            LOG.debugf("No direct socket for %s: %s", connection.id(), e);
            return null;
        }
    }

    private static MethodHandle rawAccessor() {
        try {
            Method accessor = Class.forName("io.quarkus.websockets.next.runtime.WebSocketConnectionBase")
                    .getDeclaredMethod("webSocket");
            accessor.setAccessible(true);
            return MethodHandles.lookup().unreflect(accessor);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf(
                    "websockets-next hides its Vert.x socket differently than expected (%s): chat frames go through "
                            + "sendText, which costs more CPU per frame",
                    e.toString());
            return null;
        }
    }
}
