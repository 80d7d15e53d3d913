package com.sansam.chat;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.sansam.runtime.testing.LayoutContract;
import org.junit.jupiter.api.Test;

/** {@link LayoutContract} on this service's classes (plain JUnit: no application started). */
class LayoutTest extends LayoutContract {

    LayoutTest() {
        super("com.sansam.chat");
    }

    /**
     * The realtime edge in one direction: the WebSocket endpoint on top, room events in commit order below it, this
     * replica's connections at the bottom; the room rules know none of them (they own the interfaces realtime
     * implements).
     */
    @Test
    void realtimeLayers() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("socket")
                .definedBy("com.sansam.chat.realtime.socket..")
                .layer("fanout")
                .definedBy("com.sansam.chat.realtime.fanout..")
                .layer("hub")
                .definedBy("com.sansam.chat.realtime.hub..")
                .layer("room")
                .definedBy("com.sansam.chat.room..")
                .whereLayer("socket")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("fanout")
                .mayOnlyBeAccessedByLayers("socket")
                .whereLayer("hub")
                .mayOnlyBeAccessedByLayers("socket", "fanout")
                .whereLayer("room")
                .mayOnlyBeAccessedByLayers("socket", "fanout", "hub")
                .check(classes());
    }
}
