package com.sansam.runtime.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which traces are kept: the configured ratio of new traces ({@code OTEL_TRACES_SAMPLER_RATIO}, parent-based, so a
 * trace is kept or dropped as a whole across the services), except that a database or Redis call outside any request
 * or message (the outbox poll, the schedulers: several a second, every second) never starts a trace of its own.
 */
@Singleton
public class TraceSampling {

    @Produces
    @Singleton
    Sampler sampler(@ConfigProperty(name = "quarkus.otel.traces.sampler.arg", defaultValue = "1.0") double ratio) {
        Sampler configured = Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
        return new Sampler() {
            @Override
            public SamplingResult shouldSample(
                    Context parent,
                    String traceId,
                    String name,
                    SpanKind kind,
                    Attributes attributes,
                    List<LinkData> links) {
                if (kind == SpanKind.CLIENT
                        && !Span.fromContext(parent).getSpanContext().isValid()) {
                    return SamplingResult.drop();
                }
                return configured.shouldSample(parent, traceId, name, kind, attributes, links);
            }

            @Override
            public String getDescription() {
                return "NoBackgroundClientRoots{" + configured.getDescription() + "}";
            }
        };
    }
}
