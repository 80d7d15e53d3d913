package com.sansam.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.UUID;

/** The one JSON codec for envelopes and payloads, so both sides of the broker read what the other wrote. */
public final class Messages {

    /** Exchange of commands to the stock-worker (topic, routing key = message type). */
    public static final String STOCK_COMMANDS_EXCHANGE = "sansam.stock.commands";
    /** Exchange of events from the stock-worker (topic, routing key = message type). */
    public static final String STOCK_EVENTS_EXCHANGE = "sansam.stock.events";
    /** Exchange of user facts from commerce-api (topic, routing key = message type). */
    public static final String USER_EVENTS_EXCHANGE = "sansam.user.events";
    /** Exchange of chat facts from the chat-gateway (topic, routing key = message type). */
    public static final String CHAT_EVENTS_EXCHANGE = "sansam.chat.events";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Messages() {}

    public static Envelope wrap(String aggregateType, String aggregateId, Object payload) {
        return new Envelope(
                UUID.randomUUID(),
                payload.getClass().getSimpleName(),
                aggregateType,
                aggregateId,
                Envelope.SCHEMA_VERSION,
                Instant.now(),
                MAPPER.valueToTree(payload));
    }

    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write message as JSON", e);
        }
    }

    public static Envelope envelope(String json) {
        try {
            Envelope envelope = MAPPER.readValue(json, Envelope.class);
            if (envelope.messageId() == null || envelope.type() == null || envelope.payload() == null) {
                throw new IllegalArgumentException("Envelope lacks messageId, type or payload");
            }
            return envelope;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a message envelope: " + e.getOriginalMessage(), e);
        }
    }

    public static <T> T payload(Envelope envelope, Class<T> type) {
        try {
            return MAPPER.treeToValue(envelope.payload(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "Bad " + type.getSimpleName() + " payload: " + e.getOriginalMessage(), e);
        }
    }
}
