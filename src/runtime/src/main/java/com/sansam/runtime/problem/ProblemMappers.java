package com.sansam.runtime.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into {@code application/problem+json}. The only place that knows how errors look.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response refusal(Refusal e) {
        Problem problem = problemOf(e);
        Response.ResponseBuilder builder =
                Response.status(problem.status()).type(Problem.PROBLEM_JSON).entity(problem);
        if (e.retryAfter() != null) {
            builder.header("Retry-After", Long.toString(e.retryAfter().toSeconds()));
        }
        return builder.build();
    }

    /** The HTTP status a refusal's reason is answered with. */
    public static int statusOf(Refusal.Reason reason) {
        return switch (reason) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case PAYMENT_REJECTED -> 402;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case GONE -> 410;
            case TOO_OFTEN -> 429;
            case PARTNER_FAILED -> 502;
            case UNAVAILABLE -> 503;
            case PARTNER_TIMED_OUT -> 504;
        };
    }

    /** A refusal as problem+json. */
    public static Problem problemOf(Refusal e) {
        int status = statusOf(e.reason());
        String title = e.title() != null
                ? e.title()
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        Problem problem = Problem.of(status, title, e.getMessage());
        if (e.slug() != null) {
            problem = problem.withType(Refusal.TYPE_PREFIX + e.slug());
        }
        if (e.field() != null) {
            problem = problem.withField(e.field());
        }
        if (!e.extra().isEmpty()) {
            problem = problem.withExtra(e.extra());
        }
        return problem;
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<Problem.FieldViolation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldViolation(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldViolation::field))
                .toList();
        String fields = violations.stream()
                .map(Problem.FieldViolation::field)
                .distinct()
                .collect(Collectors.joining(", "));
        Problem problem = Problem.of(400, "Bad Request", "Invalid value for: " + fields)
                .withField(violations.isEmpty() ? null : violations.get(0).field())
                .withViolations(violations);
        return problem.toResponse();
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonMappingException e) {
        String field = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        String detail = e instanceof UnrecognizedPropertyException u
                ? "Unknown field: " + u.getPropertyName()
                : field.isEmpty() ? "Malformed JSON body" : "Wrong type or format for field: " + field;
        Problem problem = Problem.of(400, "Bad Request", detail);
        return (field.isEmpty() ? problem : problem.withField(field)).toResponse();
    }

    /** Declared for the exact type, or quarkus-rest-jackson's built-in mapper answers plain JSON. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e) {
        return Problem.of(400, "Bad Request", "Malformed JSON body").toResponse();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return Problem.of(401, "Unauthorized", "Log in first: no valid session").toResponse();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return Problem.of(401, "Unauthorized", "Log in first: no valid session").toResponse();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(403, "Forbidden", "Your role may not call this route").toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status >= 500) {
            LOG.error("Request failed", e);
        }
        Throwable cause = e.getCause();
        if (cause instanceof JsonMappingException jme) {
            return unreadableJson(jme);
        }
        if (cause instanceof JsonParseException) {
            return malformedJson(null);
        }
        String title = original.getStatusInfo().getReasonPhrase();
        String detail =
                status == 400 && e.getMessage() != null && e.getMessage().startsWith("HTTP 400")
                        ? "Malformed request"
                        : e.getMessage();
        Response.ResponseBuilder builder =
                Response.status(status).type(Problem.PROBLEM_JSON).entity(Problem.of(status, title, detail));
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (Overload.is(e)) {
            LOG.debugf("Overloaded: %s", e);
            return Response.status(503)
                    .type(Problem.PROBLEM_JSON)
                    .header("Retry-After", Overload.RETRY_AFTER_SECONDS)
                    .entity(Problem.of(
                            503, "Service Unavailable", "Many people are here at once: please try again in a moment"))
                    .build();
        }
        LOG.error("Unexpected failure", e);
        return Problem.of(500, "Internal Server Error", "Something went wrong on our side")
                .toResponse();
    }

    /** "options[0].sku", "shippingAddress.zipCode", or the parameter name for a query/path parameter. */
    private static String fieldName(ConstraintViolation<?> violation) {
        StringBuilder path = new StringBuilder();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case PROPERTY, CONTAINER_ELEMENT -> {
                    if (node.isInIterable() && node.getIndex() != null) {
                        path.append('[').append(node.getIndex()).append(']');
                    }
                    String name = node.getName();
                    if (name != null && !name.startsWith("<")) {
                        path.append(path.isEmpty() ? "" : ".").append(name);
                    }
                }
                case PARAMETER -> parameter = node.getName();
                default -> {}
            }
        }
        if (!path.isEmpty()) {
            return path.toString();
        }
        return parameter == null ? "body" : parameter;
    }
}
