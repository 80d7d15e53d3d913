package com.sansam.chat.room.service;

import com.sansam.chat.config.ChatConfig;
import com.sansam.runtime.problem.Refusal;
import com.sansam.runtime.ratelimit.FixedWindows;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Per-user limits on what costs the platform most (fixed windows in Redis, shared by every gateway replica):
 * chat messages sent and rooms created. Past a limit the call fails with 429 (an {@code rate_limited} error frame
 * on the socket, {@code Retry-After} on REST) until the window ends.
 */
@ApplicationScoped
public class RateLimits {

    private static final String PREFIX = "sansam:chat:rate:";

    private final FixedWindows windows;
    private final ChatConfig.Limits config;

    public RateLimits(FixedWindows windows, ChatConfig config) {
        this.windows = windows;
        this.config = config.limits();
    }

    public Uni<Void> send(long userId) {
        return take("send:" + userId, config.sends(), config.sendWindow(), "Too many messages; slow down");
    }

    public Uni<Void> createRoom(long userId) {
        return take(
                "room:" + userId,
                config.roomsCreated(),
                config.roomWindow(),
                "Too many rooms created; try again later");
    }

    private Uni<Void> take(String name, int max, Duration window, String detail) {
        return windows.take(PREFIX + name, max, window)
                .invoke(wait -> {
                    if (wait > 0) {
                        throw Refusal.tooOften(detail, wait);
                    }
                })
                .replaceWithVoid();
    }
}
