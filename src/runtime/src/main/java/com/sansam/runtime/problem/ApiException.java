package com.sansam.runtime.problem;

import java.util.Map;

/**
 * A business rule refused the request. Thrown from services; mapped to problem+json by {@link ProblemMappers}.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String title;
    private final String field;
    private final Map<String, Object> extra;
    private final Map<String, String> headers;
    private String type = "about:blank";

    /** Where problem types that clients act on are named ({@code /problems/<slug>}, relative to the API). */
    public static final String TYPE_PREFIX = "/problems/";

    public ApiException(int status, String title, String detail) {
        this(status, title, detail, null, null, null);
    }

    private ApiException(
            int status,
            String title,
            String detail,
            String field,
            Map<String, Object> extra,
            Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.field = field;
        this.extra = extra;
        this.headers = headers == null ? Map.of() : headers;
    }

    public static ApiException badRequest(String field, String detail) {
        return new ApiException(400, "Bad Request", detail, field, null, null);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "Unauthorized", detail);
    }

    /** Not authenticated for a reason the client acts on, told apart by its problem {@code type} ({@code /problems/<slug>}). */
    public static ApiException unauthorized(String slug, String title, String detail, Map<String, Object> extra) {
        return typed(401, slug, title, detail, extra);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail);
    }

    /** Refused for a reason the caller can act on; {@code extra} names it (e.g. the unmet room condition). */
    public static ApiException forbidden(String detail, Map<String, Object> extra) {
        return new ApiException(403, "Forbidden", detail, null, extra, null);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not Found", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail);
    }

    public static ApiException conflict(String detail, Map<String, Object> extra) {
        return new ApiException(409, "Conflict", detail, null, extra, null);
    }

    /**
     * A conflict clients tell apart by its problem {@code type} ({@code /problems/<slug>}), e.g. {@code sold-out}.
     */
    public static ApiException conflict(String slug, String title, String detail, Map<String, Object> extra) {
        return typed(409, slug, title, detail, extra);
    }

    /** Any 4xx the client tells apart by its problem {@code type} ({@code /problems/<slug>}). */
    public static ApiException typed(int status, String slug, String title, String detail, Map<String, Object> extra) {
        ApiException e = new ApiException(status, title, detail, null, extra, null);
        e.type = TYPE_PREFIX + slug;
        return e;
    }

    /** The payment partner definitively refused (card rejected…): 402 with the partner's code. */
    public static ApiException paymentRejected(String code, String detail) {
        return new ApiException(402, "Payment Required", detail, null, Map.of("code", code), null);
    }

    public static ApiException badGateway(String detail) {
        return new ApiException(502, "Bad Gateway", detail);
    }

    public static ApiException gatewayTimeout(String detail) {
        return new ApiException(504, "Gateway Timeout", detail);
    }

    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiException(
                429,
                "Too Many Requests",
                detail,
                null,
                null,
                Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
    }

    /** Refused for now, with {@code Retry-After}: a 429 or 503 the client tells apart by its {@code type}. */
    public static ApiException retryLater(
            int status, String slug, String title, String detail, long retryAfterSeconds) {
        ApiException e = new ApiException(
                status,
                title,
                detail,
                null,
                Map.of("retryAfterSeconds", Math.max(1, retryAfterSeconds)),
                Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
        e.type = TYPE_PREFIX + slug;
        return e;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Problem toProblem() {
        Problem problem = Problem.of(status, title, getMessage()).withType(type);
        if (field != null) {
            problem = problem.withField(field);
        }
        if (extra != null) {
            problem = problem.withExtra(extra);
        }
        return problem;
    }
}
