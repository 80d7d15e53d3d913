package com.sansam.chat.realtime.socket;

import com.sansam.chat.realtime.hub.ServerFrames;
import com.sansam.chat.room.model.RoomEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * For native images: the WebSocket frames and fan-out events Jackson reads and writes by hand, and websockets-next's
 * accessor of the Vert.x socket that {@link Socket} writes to directly.
 */
@RegisterForReflection(
        targets = {RoomEvent.class, ServerFrames.class, ChatSocket.ClientFrame.class},
        ignoreNested = false,
        classNames = "io.quarkus.websockets.next.runtime.WebSocketConnectionBase")
final class NativeReflection {

    private NativeReflection() {}
}
