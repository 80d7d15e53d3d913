package com.sansam.chat.realtime;

import com.sansam.chat.room.model.RoomEvent;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** For native images: the WebSocket frames and fan-out events Jackson reads and writes by hand. */
@RegisterForReflection(targets = {RoomEvent.class, ServerFrames.class, ChatSocket.ClientFrame.class}, ignoreNested = false)
final class NativeReflection {

    private NativeReflection() {
    }
}
