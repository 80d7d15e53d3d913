package com.sansam.chat.room.service;

import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;

/** Who is connected right now, on any replica (implemented by {@code realtime.hub.Presence}). */
public interface OnlineMembers {

    /** The users among {@code candidates} connected nowhere (an empty list when presence cannot be read). */
    Uni<List<Long>> offlineAmong(Collection<Long> candidates);
}
