package com.sansam.commerce.support;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Solapi-compatible SMS simulator (WireMock, the mappings in src/sms-simulator shared with local runs) on a
 * random port; the commerce-api's real REST client talks to it over HTTP. Tests read the codes sent from its request journal.
 */
public class SmsSimulator implements QuarkusTestResourceLifecycleManager {

    private static WireMockServer server;

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            server = WireMockSimulators.start("sms-simulator");
        }
        return Map.of("quarkus.rest-client.sms.url", server.baseUrl());
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

    /** The texts sent to {@code domesticNumber} (01012345678) so far, oldest first. */
    public static List<String> textsTo(String domesticNumber) {
        return server.findAll(postRequestedFor(urlEqualTo("/messages/v4/send"))).stream()
                .map(request -> JsonPath.from(request.getBodyAsString()))
                .filter(body -> domesticNumber.equals(body.getString("message.to")))
                .map(body -> body.getString("message.text"))
                .toList();
    }

    /** The code in the last SMS to {@code domesticNumber}. */
    public static String lastCode(String domesticNumber) {
        List<String> texts = textsTo(domesticNumber);
        if (texts.isEmpty()) {
            throw new AssertionError("no SMS to " + domesticNumber);
        }
        Matcher code = Pattern.compile("인증번호 ([0-9]{6})").matcher(texts.get(texts.size() - 1));
        if (!code.find()) {
            throw new AssertionError("no code in " + texts.get(texts.size() - 1));
        }
        return code.group(1);
    }
}
