package com.sansam.commerce.account.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The request and answer bodies of Solapi's single-message send, as documented. */
public final class SolapiMessages {

    private SolapiMessages() {}

    /** {@code {"message": {"to", "from", "text", "type"}}}; numbers in the domestic form (01012345678). */
    public record Send(Message message) {}

    public record Message(String to, String from, String text, String type) {}

    /** The answer: {@code statusCode} "2000" means accepted for delivery. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Sent(String groupId, String messageId, String statusCode, String statusMessage, String to) {}

    /** An error answer: {@code {"errorCode": "ValidationError", "errorMessage": "…"}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Error(String errorCode, String errorMessage) {}
}
