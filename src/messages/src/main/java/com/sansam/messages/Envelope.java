package com.sansam.messages;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * What travels over RabbitMQ: every message has a unique id, a type, the aggregate it belongs to, a schema
 * version and a timestamp; the payload is one of the records in {@link StockCommands}, {@link StockEvents}
 * or {@link UserEvents}, as JSON.
 */
public record Envelope(
        UUID messageId,
        String type,
        String aggregateType,
        String aggregateId,
        int schemaVersion,
        Instant occurredAt,
        JsonNode payload) {

    public static final int SCHEMA_VERSION = 1;
}
