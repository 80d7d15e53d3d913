package com.sansam.runtime.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * RFC 9457 problem details: every error this API answers has this shape and the
 * {@code application/problem+json} media type.
 *
 * @param field      the request field at fault, when there is one
 * @param violations every field at fault, when validation found several
 * @param extra      problem-specific members (for example the current price of a changed line)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        String field,
        List<FieldViolation> violations,
        Map<String, Object> extra) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

    public record FieldViolation(String field, String message) {}

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null, null, null, null);
    }

    public Problem withType(String type) {
        return new Problem(type, title, status, detail, instance, field, violations, extra);
    }

    public Problem withField(String field) {
        return new Problem(type, title, status, detail, instance, field, violations, extra);
    }

    public Problem withViolations(List<FieldViolation> violations) {
        return new Problem(type, title, status, detail, instance, field, violations, extra);
    }

    public Problem withExtra(Map<String, Object> extra) {
        return new Problem(type, title, status, detail, instance, field, violations, extra);
    }

    public Problem withInstance(String instance) {
        return new Problem(type, title, status, detail, instance, field, violations, extra);
    }

    public Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(this).build();
    }
}
