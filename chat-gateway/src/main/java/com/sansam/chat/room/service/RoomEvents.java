package com.sansam.chat.room.service;

import com.sansam.chat.room.model.RoomEvent;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Where rooms announce what happened, after it committed. Owned by {@code room} so that rooms know nothing of
 * delivery: {@code realtime.fanout.Fanout} implements it (every gateway replica hears it and tells its connections).
 */
public interface RoomEvents {

    /** Announces the event; a failure to announce loses live delivery only (the change itself is committed). */
    default Uni<Void> publish(RoomEvent event) {
        return publish(List.of(event));
    }

    /** Announces events in one go, heard in this order by every replica (none: nothing happens). */
    Uni<Void> publish(List<RoomEvent> events);
}
