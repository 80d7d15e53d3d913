package com.sansam.commerce.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.nio.file.Path;

/** A partner simulator: WireMock serving one of the mapping folders under src/ (shared with local runs). */
final class WireMockSimulators {

    private WireMockSimulators() {}

    /** Started on a random loopback port, with response templating, from {@code src/<folder>}. */
    static WireMockServer start(String folder) {
        Path root = Path.of("..", "src", folder).toAbsolutePath().normalize();
        WireMockServer server = new WireMockServer(WireMockConfiguration.options()
                .dynamicPort()
                .withRootDirectory(root.toString())
                .globalTemplating(true));
        server.start();
        return server;
    }
}
