package com.sansam.chat.realtime.hub;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Socket} reads websockets-next's Vert.x socket through a package-private accessor. A Quarkus upgrade that
 * moves it would only make chat slower (writes fall back to sendText), silently: this fails the build instead.
 */
class SocketTest {

    @Test
    void theVertxSocketBehindAConnectionIsReachable() {
        assertTrue(Socket.DIRECT, "websockets-next no longer has WebSocketConnectionBase.webSocket(): update Socket");
    }
}
