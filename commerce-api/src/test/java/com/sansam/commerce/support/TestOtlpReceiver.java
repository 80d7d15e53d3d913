package com.sansam.commerce.support;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP (protobuf) trace receiver, as an OpenTelemetry Collector would be: commerce-api (in the test JVM)
 * and the stock-worker process export their spans to it, and tests read what arrived. Started once, on a free port.
 */
public class TestOtlpReceiver implements QuarkusTestResourceLifecycleManager {

    /** One exported span, as the receiver decoded it. */
    public record ExportedSpan(String service, String traceId, String spanId, String parentSpanId, String name, String kind,
                               long startNanos, long endNanos, Map<String, String> attributes, List<String> links) {
    }

    private static final List<ExportedSpan> SPANS = new CopyOnWriteArrayList<>();
    private static HttpServer server;

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.exporter.otlp.endpoint", endpoint(),
                "quarkus.otel.exporter.otlp.protocol", "http/protobuf",
                "quarkus.otel.bsp.schedule.delay", "200ms");
    }

    @Override
    public void stop() {
        // kept for the whole run: the stock-worker process exports to it until it is killed
    }

    /** The receiver's base URL (OTLP/HTTP exporters post to {@code /v1/traces} under it). */
    public static synchronized String endpoint() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                try (InputStream body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                        ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                    if (exchange.getRequestURI().getPath().endsWith("/v1/traces")) {
                        receive(ExportTraceServiceRequest.parseFrom(body));
                    } else {
                        body.readAllBytes(); // metrics or logs: not kept
                    }
                }
                byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void receive(ExportTraceServiceRequest request) {
        HexFormat hex = HexFormat.of();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = text(resource.getResource().getAttributesList()).getOrDefault("service.name", "?");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                scope.getSpansList().forEach(span -> SPANS.add(new ExportedSpan(service,
                        hex.formatHex(span.getTraceId().toByteArray()), hex.formatHex(span.getSpanId().toByteArray()),
                        hex.formatHex(span.getParentSpanId().toByteArray()), span.getName(), span.getKind().name(),
                        span.getStartTimeUnixNano(), span.getEndTimeUnixNano(), text(span.getAttributesList()),
                        span.getLinksList().stream().map(link -> hex.formatHex(link.getSpanId().toByteArray())).toList())));
            }
        }
    }

    private static Map<String, String> text(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> {
            var value = kv.getValue();
            return value.hasStringValue() ? value.getStringValue() : value.toString().trim();
        }, (a, b) -> b));
    }

    /** Every span received so far. */
    public static List<ExportedSpan> spans() {
        return List.copyOf(SPANS);
    }

    /** The spans of one trace received so far. */
    public static List<ExportedSpan> trace(String traceId) {
        return SPANS.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }
}
