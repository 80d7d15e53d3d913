package com.sansam.runtime.testing;

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
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP (protobuf) trace receiver, as an OpenTelemetry Collector would be: the service under test (as a
 * Quarkus test resource) and the packaged services the tests start ({@link #environment}) export their spans to it,
 * and tests read what arrived. Started once per test JVM, on a free port.
 */
public class TestOtlpReceiver implements QuarkusTestResourceLifecycleManager {

    /** One exported span, as the receiver decoded it. */
    public record ExportedSpan(
            String service,
            String instance,
            String traceId,
            String spanId,
            String parentSpanId,
            String name,
            String kind,
            long startNanos,
            long endNanos,
            Map<String, String> attributes,
            List<String> links) {}

    private static final List<ExportedSpan> SPANS = new CopyOnWriteArrayList<>();
    private static HttpServer server;

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.otel.sdk.disabled",
                "false",
                "quarkus.otel.exporter.otlp.endpoint",
                endpoint(),
                "quarkus.otel.exporter.otlp.protocol",
                "http/protobuf",
                "quarkus.otel.bsp.schedule.delay",
                "200ms");
    }

    @Override
    public void stop() {
        // kept for the whole run: the stock-worker process exports to it until it is killed
    }

    /** The environment that makes a packaged service (a process) export its spans here, as {@code instance}. */
    public static Map<String, String> environment(String instance) {
        return Map.of(
                "OTEL_SDK_DISABLED",
                "false",
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                endpoint(),
                "OTEL_EXPORTER_OTLP_PROTOCOL",
                "http/protobuf",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY",
                "200ms",
                "QUARKUS_OTEL_RESOURCE_ATTRIBUTES",
                "service.instance.id=" + instance);
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
                try (InputStream body =
                        "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                                ? new GZIPInputStream(exchange.getRequestBody())
                                : exchange.getRequestBody()) {
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
            Map<String, String> attributes = text(resource.getResource().getAttributesList());
            String service = attributes.getOrDefault("service.name", "?");
            String instance = attributes.getOrDefault("service.instance.id", "");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                scope.getSpansList()
                        .forEach(span -> SPANS.add(new ExportedSpan(
                                service,
                                instance,
                                hex.formatHex(span.getTraceId().toByteArray()),
                                hex.formatHex(span.getSpanId().toByteArray()),
                                hex.formatHex(span.getParentSpanId().toByteArray()),
                                span.getName(),
                                span.getKind().name(),
                                span.getStartTimeUnixNano(),
                                span.getEndTimeUnixNano(),
                                text(span.getAttributesList()),
                                span.getLinksList().stream()
                                        .map(link ->
                                                hex.formatHex(link.getSpanId().toByteArray()))
                                        .toList())));
            }
        }
    }

    private static Map<String, String> text(List<KeyValue> attributes) {
        return attributes.stream()
                .collect(Collectors.toMap(
                        KeyValue::getKey,
                        kv -> {
                            var value = kv.getValue();
                            return value.hasStringValue()
                                    ? value.getStringValue()
                                    : value.toString().trim();
                        },
                        (a, b) -> b));
    }

    /** Every span received so far. */
    public static List<ExportedSpan> spans() {
        return List.copyOf(SPANS);
    }

    /** Waits (20 s at most) for a span to arrive; fails with a summary of what did arrive. */
    public static ExportedSpan awaitSpan(Predicate<ExportedSpan> wanted) {
        return await(
                wanted,
                () -> "Span not received; received (service instance kind name: count):\n"
                        + SPANS.stream()
                                .collect(Collectors.groupingBy(
                                        s -> s.service() + " " + s.instance() + " " + s.kind() + " " + s.name(),
                                        java.util.TreeMap::new,
                                        Collectors.counting())));
    }

    /** Waits (20 s at most) for a span of the trace; fails with the trace as received, in start order. */
    public static ExportedSpan awaitInTrace(String traceId, Predicate<ExportedSpan> wanted) {
        return await(
                span -> span.traceId().equals(traceId) && wanted.test(span),
                () -> "Span not found in the trace:\n" + describe(traceId));
    }

    private static ExportedSpan await(Predicate<ExportedSpan> wanted, java.util.function.Supplier<String> whenMissing) {
        try {
            return org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> SPANS.stream().filter(wanted).findFirst(), Optional::isPresent)
                    .orElseThrow();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(whenMissing.get(), e);
        }
    }

    /** One line per span of the trace, in start order: service, kind, name, ids, attributes. */
    public static String describe(String traceId) {
        return trace(traceId).stream()
                .sorted(java.util.Comparator.comparingLong(ExportedSpan::startNanos))
                .map(s -> "  " + s.service() + " " + s.instance() + " " + s.kind() + " " + s.name() + " span="
                        + s.spanId() + " parent=" + s.parentSpanId() + " " + s.attributes())
                .collect(Collectors.joining("\n"));
    }

    /** The spans of one trace received so far. */
    public static List<ExportedSpan> trace(String traceId) {
        return SPANS.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }
}
