package com.sansam.runtime.inbox;

import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.runtime.tracing.MessageTraces;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.reactive.messaging.Message;

/** What an incoming broker message carries: its body as text, its envelope when readable, its trace context. */
final class IncomingMessages {

    private IncomingMessages() {}

    /** The W3C trace context the message was published in (the relay's PRODUCER span), if it has one. */
    static String traceParentOf(Message<?> message) {
        java.util.Optional<DeliveredHeaders> delivered = message.getMetadata(DeliveredHeaders.class);
        if (delivered.isPresent()) {
            return delivered.get().traceParent();
        }
        return message.getMetadata(IncomingRabbitMQMetadata.class)
                .map(metadata -> metadata.getHeaders().get(MessageTraces.HEADER))
                .map(String::valueOf)
                .orElse(null);
    }

    static Envelope readable(Message<?> message) {
        return readable(bodyOf(message.getPayload()));
    }

    static Envelope readable(String body) {
        try {
            return Messages.envelope(body);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    static String bodyOf(Object payload) {
        if (payload instanceof String text) {
            return text;
        }
        if (payload instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (payload instanceof Buffer buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
        if (payload instanceof io.vertx.mutiny.core.buffer.Buffer buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
        if (payload instanceof JsonObject json) {
            return json.encode();
        }
        return String.valueOf(payload);
    }
}
