package com.sansam.runtime.problem;

import java.time.Duration;
import java.util.Map;

/**
 * A business rule refused what was asked. Services throw it with the {@link Reason} in the words of the domain;
 * how a reason looks on the wire (HTTP status, WebSocket error code) is decided where the answer is written:
 * {@link ProblemMappers} for HTTP.
 */
public class Refusal extends RuntimeException {

    /** Why something was refused, as the caller acts on it. */
    public enum Reason {
        /** The input breaks a rule; {@link #field()} names the field when one is to blame. */
        INVALID,
        /** Nobody (or nobody valid) is signed in. */
        UNAUTHENTICATED,
        /** The payment partner definitively refused the payment. */
        PAYMENT_REJECTED,
        /** Signed in, but not allowed. */
        FORBIDDEN,
        /** What was asked for does not exist (or is not the caller's to see). */
        NOT_FOUND,
        /** The current state does not allow it (sold out, already paid, …). */
        CONFLICT,
        /** It existed but is used up or expired for good. */
        GONE,
        /** Asked too often; may be asked again after {@link #retryAfter()}. */
        TOO_OFTEN,
        /** Cannot be served now; may be asked again after {@link #retryAfter()}. */
        UNAVAILABLE,
        /** A partner the request depends on failed. */
        PARTNER_FAILED,
        /** A partner the request depends on did not answer in time. */
        PARTNER_TIMED_OUT
    }

    /** Where problem types that clients act on are named ({@code /problems/<slug>}, relative to the API). */
    public static final String TYPE_PREFIX = "/problems/";

    private final Reason reason;
    private final String slug;
    private final String title;
    private final String field;
    private final Map<String, Object> extra;
    private final Duration retryAfter;

    private Refusal(
            Reason reason,
            String slug,
            String title,
            String detail,
            String field,
            Map<String, Object> extra,
            Duration retryAfter) {
        super(detail, null, false, false);
        this.reason = reason;
        this.slug = slug;
        this.title = title;
        this.field = field;
        this.extra = extra == null ? Map.of() : extra;
        this.retryAfter = retryAfter;
    }

    private static Refusal of(Reason reason, String detail) {
        return new Refusal(reason, null, null, detail, null, null, null);
    }

    public static Refusal invalid(String field, String detail) {
        return new Refusal(Reason.INVALID, null, null, detail, field, null, null);
    }

    public static Refusal unauthenticated(String detail) {
        return of(Reason.UNAUTHENTICATED, detail);
    }

    public static Refusal forbidden(String detail) {
        return of(Reason.FORBIDDEN, detail);
    }

    /** Refused for a reason the caller can act on; {@code extra} names it (e.g. the unmet room condition). */
    public static Refusal forbidden(String detail, Map<String, Object> extra) {
        return new Refusal(Reason.FORBIDDEN, null, null, detail, null, extra, null);
    }

    public static Refusal notFound(String detail) {
        return of(Reason.NOT_FOUND, detail);
    }

    public static Refusal conflict(String detail) {
        return of(Reason.CONFLICT, detail);
    }

    public static Refusal conflict(String detail, Map<String, Object> extra) {
        return new Refusal(Reason.CONFLICT, null, null, detail, null, extra, null);
    }

    /** A conflict clients tell apart by its problem {@code type} ({@code /problems/<slug>}), e.g. {@code sold-out}. */
    public static Refusal conflict(String slug, String title, String detail, Map<String, Object> extra) {
        return typed(Reason.CONFLICT, slug, title, detail, extra);
    }

    /** Refused for a reason the client tells apart by its problem {@code type} ({@code /problems/<slug>}). */
    public static Refusal typed(Reason reason, String slug, String title, String detail, Map<String, Object> extra) {
        return new Refusal(reason, slug, title, detail, null, extra, null);
    }

    /** The payment partner definitively refused (card rejected…), with the partner's code. */
    public static Refusal paymentRejected(String code, String detail) {
        return new Refusal(Reason.PAYMENT_REJECTED, null, null, detail, null, Map.of("code", code), null);
    }

    public static Refusal partnerFailed(String detail) {
        return of(Reason.PARTNER_FAILED, detail);
    }

    public static Refusal partnerTimedOut(String detail) {
        return of(Reason.PARTNER_TIMED_OUT, detail);
    }

    public static Refusal tooOften(String detail, long retryAfterSeconds) {
        return new Refusal(
                Reason.TOO_OFTEN, null, null, detail, null, null, Duration.ofSeconds(Math.max(1, retryAfterSeconds)));
    }

    /**
     * Refused for now ({@link Reason#TOO_OFTEN} or {@link Reason#UNAVAILABLE}), told apart by its {@code type}; the
     * client may ask again after the given seconds.
     */
    public static Refusal retryLater(Reason reason, String slug, String title, String detail, long retryAfterSeconds) {
        long seconds = Math.max(1, retryAfterSeconds);
        return new Refusal(
                reason, slug, title, detail, null, Map.of("retryAfterSeconds", seconds), Duration.ofSeconds(seconds));
    }

    public Reason reason() {
        return reason;
    }

    /** The problem type's slug ({@code sold-out}), or null for a plain refusal of its reason. */
    public String slug() {
        return slug;
    }

    /** A short human title for the problem type, or null to use the reason's. */
    public String title() {
        return title;
    }

    public String field() {
        return field;
    }

    public Map<String, Object> extra() {
        return extra;
    }

    /** When asking again may succeed, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
