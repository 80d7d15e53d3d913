package com.sansam.runtime.tracing;

import com.sansam.messages.Envelope;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries the trace of a business flow across the outbox and the broker, so that one order's placement, reservation,
 * payment and notices form one trace over the services.
 * <ul>
 *   <li>An outbox row stores the W3C {@code traceparent} of the work that wrote it ({@link #traceParentFor}).</li>
 *   <li>The relay publishes it inside a PRODUCER span that is a child of that trace and sends the span's context as
 *   the {@code traceparent} message header ({@link #publishing}).</li>
 *   <li>The consumer handles the message inside a CONSUMER span that continues the header's trace
 *   ({@link #handling}); while it lasts, messages written for the same aggregate (the order, say) carry that span,
 *   even when a batch handles messages of many traces in one transaction.</li>
 * </ul>
 * With the SDK off ({@code OTEL_SDK_DISABLED=true}) every span is a no-op and nothing is stored.
 */
@ApplicationScoped
public class MessageTraces {

    public static final String HEADER = "traceparent";
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    private static final AttributeKey<String> ROUTING_KEY =
            AttributeKey.stringKey("messaging.rabbitmq.destination.routing_key");
    public static final AttributeKey<String> AGGREGATE = AttributeKey.stringKey("sansam.aggregate");

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    /** The span under which the message being handled for an aggregate ("order/…") runs. */
    private final Map<String, Context> handling = new ConcurrentHashMap<>();

    public MessageTraces(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("com.sansam.messaging");
    }

    /**
     * The {@code traceparent} an outgoing message of this aggregate belongs to: the span of a message being handled
     * for the same aggregate, else the current span (the HTTP request that placed the order); null when there is none.
     */
    public String traceParentFor(String aggregateType, String aggregateId) {
        Context context = handling.get(aggregate(aggregateType, aggregateId));
        return format(
                Span.fromContext(context != null ? context : Context.current()).getSpanContext());
    }

    /** Starts the PRODUCER span of one outbox message; its {@link #traceParent(Span)} goes out as the header. */
    public Span publishing(String traceParent, String exchange, String routingKey, String messageId, String aggregate) {
        return start(exchange + " publish", SpanKind.PRODUCER, parse(traceParent))
                .setAttribute(SYSTEM, "rabbitmq")
                .setAttribute(DESTINATION, exchange)
                .setAttribute(OPERATION, "send")
                .setAttribute(ROUTING_KEY, routingKey)
                .setAttribute(MESSAGE_ID, messageId)
                .setAttribute(AGGREGATE, aggregate)
                .startSpan();
    }

    /**
     * Starts the CONSUMER span of an incoming message, continuing the trace of its {@code traceparent} header, and
     * lets messages written for the envelope's aggregate meanwhile carry it. End it with {@link Handling#end}.
     */
    public Handling handling(String channel, Envelope envelope, String traceParent) {
        SpanBuilder builder = start(channel + " process", SpanKind.CONSUMER, parse(traceParent))
                .setAttribute(SYSTEM, "rabbitmq")
                .setAttribute(DESTINATION, channel)
                .setAttribute(OPERATION, "process");
        String key = null;
        if (envelope != null) {
            key = aggregate(envelope.aggregateType(), envelope.aggregateId());
            builder.setAttribute(MESSAGE_ID, envelope.messageId().toString())
                    .setAttribute(ROUTING_KEY, envelope.type())
                    .setAttribute(AGGREGATE, key);
        }
        return register(key, builder.startSpan());
    }

    /**
     * Starts an INTERNAL span in the trace an aggregate began in ({@code traceParent}, stored with it), linked to the
     * current span (a later HTTP request about it, such as a payment), and lets messages written for the aggregate
     * meanwhile carry it: the payment of an order continues the order's trace. End it with {@link Handling#end}.
     */
    public Handling continuing(String name, String aggregateType, String aggregateId, String traceParent) {
        String key = aggregate(aggregateType, aggregateId);
        SpanBuilder builder = start(name, SpanKind.INTERNAL, parse(traceParent)).setAttribute(AGGREGATE, key);
        SpanContext current = Span.current().getSpanContext();
        if (current.isValid()) {
            builder.addLink(current);
        }
        return register(key, builder.startSpan());
    }

    private Handling register(String key, Span span) {
        Context context = Context.root().with(span);
        if (key != null && span.getSpanContext().isValid()) {
            handling.put(key, context);
        }
        return new Handling(this, key, context, span);
    }

    /** How an aggregate is named in spans ({@code sansam.aggregate}) and logs: {@code order/ORD-…}. */
    public static String aggregate(String aggregateType, String aggregateId) {
        return aggregateType + "/" + aggregateId;
    }

    /** The trace context of the current span, as a {@code traceparent} value (null when there is none). */
    public static String current() {
        return format(Span.current().getSpanContext());
    }

    public static String traceParent(Span span) {
        return format(span.getSpanContext());
    }

    private SpanBuilder start(String name, SpanKind kind, Context parent) {
        SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kind);
        return parent == null ? builder.setNoParent() : builder.setParent(parent);
    }

    private static Context parse(String traceParent) {
        if (traceParent == null || traceParent.isBlank()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        carrier.put(HEADER, traceParent);
        Context context = W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, GETTER);
        return Span.fromContext(context).getSpanContext().isValid() ? context : null;
    }

    private static String format(SpanContext context) {
        if (!context.isValid()) {
            return null;
        }
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-"
                + context.getTraceFlags().asHex();
    }

    /** A span started by {@link #handling} or {@link #continuing}; ended once, with the outcome. */
    public static final class Handling {
        private final MessageTraces traces;
        private final String key;
        private final Context context;
        private final Span span;

        private Handling(MessageTraces traces, String key, Context context, Span span) {
            this.traces = traces;
            this.key = key;
            this.context = context;
            this.span = span;
        }

        public Span span() {
            return span;
        }

        public void end(Throwable failure) {
            if (key != null) {
                traces.handling.remove(key, context);
            }
            if (failure != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
            }
            span.end();
        }

        public static void endAll(List<Handling> handlings, Throwable failure) {
            handlings.forEach(handling -> handling.end(failure));
        }
    }
}
