package com.sansam.chat.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Chat policy and wiring, from {@code sansam.chat.*} in application.properties. */
@ConfigMapping(prefix = "sansam.chat")
public interface ChatConfig {

    /** Longest message, in characters. */
    @WithDefault("1000")
    int maxMessageLength();

    /** Default and largest page of history or room search. */
    @WithDefault("50")
    int pageSize();

    @WithDefault("100")
    int maxPageSize();

    /** Most messages one {@code resume} replays; the client resumes again from the last one it got. */
    @WithDefault("500")
    int maxResume();

    /** Redis pub/sub channel every gateway replica listens on for fan-out. */
    @WithDefault("sansam:chat:fanout")
    String fanoutChannel();

    /** How often open connections are checked against their session (logout, withdrawal close them). */
    @WithDefault("30s")
    Duration sessionRecheck();

    /**
     * How often unread badges changed by new or deleted messages are sent (CHAT_BADGE_INTERVAL): a busy room changes
     * every member's count with each message, so counts are gathered and each member gets one badge frame per
     * interval with the latest counts, instead of one per message. Reads, joins and leaves answer at once.
     */
    @WithDefault("PT0.25S")
    Duration badgeInterval();

    /**
     * How long a replica holds a room's message that overtook an earlier one (sent through another replica) before
     * it reads the missing one from PostgreSQL ({@code realtime/fanout/RoomOrder}). The earlier one normally arrives within
     * milliseconds; this only bounds the wait when its fan-out came late or was lost.
     */
    @WithDefault("PT0.2S")
    Duration orderWait();

    /**
     * Browser origins (scheme://host[:port]) allowed to open {@code /ws/chat} besides the gateway's own origin; a
     * handshake from any other origin is refused (cross-site WebSocket hijacking). Clients that send no Origin
     * (not browsers) are not affected.
     */
    java.util.Optional<java.util.List<String>> allowedOrigins();

    /**
     * Group commit of sends (CHAT_SEND_WRITERS, CHAT_MAX_SEND_BATCH): at most this many send transactions run at once per
     * replica; sends arriving meanwhile wait and go together in the next one, up to {@link #maxSendBatch()} of them.
     */
    @WithDefault("4")
    int sendWriters();

    @WithDefault("64")
    int maxSendBatch();

    /** Per-user rate limits (RateLimits). */
    Limits limits();

    interface Limits {
        /** Messages one user may send per {@link #sendWindow()}. */
        @WithDefault("30")
        int sends();

        @WithDefault("PT10S")
        Duration sendWindow();

        /** Rooms one user may create per {@link #roomWindow()}. */
        @WithDefault("10")
        int roomsCreated();

        @WithDefault("PT1H")
        Duration roomWindow();
    }
}
