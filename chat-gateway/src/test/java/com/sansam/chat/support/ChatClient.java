package com.sansam.chat.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client for {@code /ws/chat} (Vert.x), authenticated by a SESSION cookie. It records every
 * frame it receives so tests can wait for one, or assert that one never came.
 */
public final class ChatClient implements AutoCloseable {

    private final WebSocketClient client;
    private volatile WebSocket socket;
    private final List<JsonObject> frames = new ArrayList<>();
    private volatile Short closeCode;

    private ChatClient(WebSocketClient client) {
        this.client = client;
    }

    /** Runs on the event loop as the handshake completes, so no frame can arrive before the handlers are set. */
    private WebSocket attach(WebSocket socket) {
        this.socket = socket;
        socket.textMessageHandler(text -> {
            synchronized (frames) {
                frames.add(new JsonObject(text));
                frames.notifyAll();
            }
        });
        socket.closeHandler(ignored -> {
            synchronized (frames) {
                closeCode = socket.closeStatusCode() == null ? -1 : socket.closeStatusCode();
                frames.notifyAll();
            }
        });
        return socket;
    }

    /** Connects (or fails, e.g. with an UpgradeRejectedException for a refused handshake). */
    public static ChatClient connect(Vertx vertx, URI baseUri, String sessionCookie) {
        return connect(vertx, baseUri, sessionCookie, null);
    }

    /** Connects as a browser page of {@code origin} would (null: no Origin header, as a non-browser client). */
    public static ChatClient connect(Vertx vertx, URI baseUri, String sessionCookie, String origin) {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(5000));
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(baseUri.getHost())
                .setPort(baseUri.getPort())
                .setURI("/ws/chat");
        if (sessionCookie != null) {
            options.addHeader("Cookie", "SESSION=" + sessionCookie);
        }
        if (origin != null) {
            options.addHeader("Origin", origin);
        }
        ChatClient chat = new ChatClient(client);
        CompletableFuture<WebSocket> connected =
                client.connect(options).map(chat::attach).toCompletionStage().toCompletableFuture();
        try {
            connected.get(10, TimeUnit.SECONDS);
            chat.await("badge", frame -> true); // the server's first frame: the connection is registered
            return chat;
        } catch (Exception | AssertionError e) {
            client.close();
            throw new IllegalStateException("WebSocket connect failed: " + e.getMessage(), e);
        }
    }

    public void send(JsonObject frame) {
        socket.writeTextMessage(frame.encode());
    }

    /** A frame as it is, JSON or not. */
    public void sendRaw(String frame) {
        socket.writeTextMessage(frame);
    }

    public void send(long roomId, String clientMsgId, String content) {
        send(new JsonObject()
                .put("type", "send")
                .put("roomId", roomId)
                .put("clientMsgId", clientMsgId)
                .put("content", content));
    }

    public void read(long roomId, long messageId) {
        send(new JsonObject().put("type", "read").put("roomId", roomId).put("messageId", messageId));
    }

    public void resume(long roomId, long afterMessageId) {
        send(new JsonObject().put("type", "resume").put("roomId", roomId).put("afterMessageId", afterMessageId));
    }

    /** Waits for a frame of that type matching the filter (already received or still to come). */
    public JsonObject await(String type, Predicate<JsonObject> filter) {
        return await(type, filter, Duration.ofSeconds(10));
    }

    public JsonObject await(String type, Predicate<JsonObject> filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (frames) {
            while (true) {
                for (JsonObject frame : frames) {
                    if (type.equals(frame.getString("type")) && filter.test(frame)) {
                        return frame;
                    }
                }
                long left = deadline - System.nanoTime();
                if (closeCode != null) {
                    throw new AssertionError("closed (" + closeCode + ") before a '" + type
                            + "' frame matching the filter came; got " + frames);
                }
                if (left <= 0) {
                    throw new AssertionError(
                            "no '" + type + "' frame matching the filter within " + timeout + "; got " + frames);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(frames, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** The newest badge frame received. */
    public JsonObject lastBadge() {
        synchronized (frames) {
            for (int i = frames.size() - 1; i >= 0; i--) {
                if ("badge".equals(frames.get(i).getString("type"))) {
                    return frames.get(i);
                }
            }
        }
        throw new AssertionError("no badge frame");
    }

    public List<JsonObject> frames(String type) {
        synchronized (frames) {
            return frames.stream()
                    .filter(frame -> type.equals(frame.getString("type")))
                    .toList();
        }
    }

    public void clear() {
        synchronized (frames) {
            frames.clear();
        }
    }

    /** The close code once the server closed the connection, else null. */
    public Short closeCode() {
        return closeCode;
    }

    @Override
    public void close() {
        if (closeCode == null) {
            socket.close();
        }
        client.close();
    }
}
