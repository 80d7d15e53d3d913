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
}
