package com.sansam.commerce.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The Toss-compatible simulator (WireMock, the mappings in src/toss-simulator shared with local runs) on a
 * random port; the commerce-api's real REST client talks to it over HTTP. Tests add stubs for their scenarios.
 */
public class TossSimulator implements QuarkusTestResourceLifecycleManager {

    private static WireMockServer server;

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            server = WireMockSimulators.start("toss-simulator");
        }
        return Map.of(
                "quarkus.rest-client.toss.url", server.baseUrl(), "sansam.toss.secret-key", "test_sk_sansam_tests");
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    public static WireMockServer server() {
        return server;
    }
}
