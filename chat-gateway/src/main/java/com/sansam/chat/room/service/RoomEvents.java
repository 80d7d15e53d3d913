package com.sansam.chat.room.service;

import com.sansam.chat.room.model.RoomEvent;
import io.smallrye.mutiny.Uni;

/**
 * Where rooms announce what happened, after it committed. Owned by {@code room} so that rooms know nothing of
 * delivery: {@code realtime.Fanout} implements it (every gateway replica hears it and tells its connections).
 */
public interface RoomEvents {

    /** Announces the event; a failure to announce loses live delivery only (the change itself is committed). */
    Uni<Void> publish(RoomEvent event);
}
