package com.sansam.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Several messages in one broker message. A broker's cost is per message (a quorum queue writes, replicates and
 * confirms each one, and the consumer is handed and acknowledges each one), so the outbox relay sends the rows of one
 * round that go to the same queue as one bundle, and the consumers take it apart. The body is
 * <pre>{"bundle":[{"traceparent":"00-…"|null,"envelope":{…}}, …]}</pre>
 * Each envelope keeps its own message id, so the inbox still applies each exactly once, and its own trace context.
 * A consumer reads bundles and single envelopes alike, so consumers are upgraded before the relays that bundle.
 */
public final class Bundles {

    /** How every bundle's body begins (and no envelope's does). */
    public static final String PREFIX = "{\"bundle\":[";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Bundles() {}

    /** One message of a bundle: its envelope as JSON text and the W3C trace context it was sent in (or null). */
    public record Entry(String envelope, String traceParent) {}

    public static boolean isBundle(String body) {
        return body.startsWith(PREFIX);
    }

    /** The bundle of these messages, in this order; each envelope is written as it is (it is JSON already). */
    public static String of(List<Entry> entries) {
        StringBuilder body = new StringBuilder(PREFIX);
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            body.append(i == 0 ? "" : ",")
                    .append("{\"traceparent\":")
                    .append(entry.traceParent() == null ? "null" : Messages.toJson(entry.traceParent()))
                    .append(",\"envelope\":")
                    .append(entry.envelope())
                    .append('}');
        }
        return body.append("]}").toString();
    }

    /** The messages of a bundle, in order; an {@link IllegalArgumentException} when the body is not a bundle. */
    public static List<Entry> entries(String body) {
        JsonNode bundle;
        try {
            bundle = MAPPER.readTree(body).path("bundle");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a bundle: " + e.getOriginalMessage(), e);
        }
        if (!bundle.isArray() || bundle.isEmpty()) {
            throw new IllegalArgumentException("Not a bundle: no messages in it");
        }
        List<Entry> entries = new ArrayList<>(bundle.size());
        for (JsonNode entry : bundle) {
            JsonNode envelope = entry.path("envelope");
            if (!envelope.isObject()) {
                throw new IllegalArgumentException("Not a bundle: an entry has no envelope");
            }
            JsonNode trace = entry.path("traceparent");
            entries.add(new Entry(envelope.toString(), trace.isTextual() ? trace.asText() : null));
        }
        return entries;
    }
}
