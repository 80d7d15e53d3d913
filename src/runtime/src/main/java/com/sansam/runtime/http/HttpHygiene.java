package com.sansam.runtime.http;

import com.sansam.runtime.problem.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What every answer of every service carries, and what every request body must be, in one filter:
 * <ul>
 *   <li>security headers: {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy}, {@code X-Frame-Options:
 *   DENY}, a {@code Content-Security-Policy} ({@code sansam.http.content-security-policy}: for an API nothing may
 *   load and nobody may frame it; the storefront's own policy allows scripts from itself only), and HSTS where
 *   {@code sansam.http.hsts} (production behind HTTPS);</li>
 *   <li>{@code Cache-Control: no-cache} on the paths of {@code sansam.http.revalidate-paths} (the storefront's page and
 *   scripts): a browser asks again on every load and gets 304 while nothing changed, so a release reaches it at once;</li>
 *   <li>415 problem+json for a state-changing API request whose body is not {@code application/json}: a body that a
 *   cross-site form or a {@code no-cors} fetch can send never reaches a JSON route;</li>
 *   <li>400 problem+json for a path or query holding a control character ({@code %00} …): ids and searches never do,
 *   and PostgreSQL refuses NUL (see {@link PlainText} for JSON bodies).</li>
 * </ul>
 */
@ApplicationScoped
public class HttpHygiene {

    /** A percent-encoded control character (%00 …) in a path or query: no id or search holds one. */
    private static final Pattern CONTROL_ESCAPED = Pattern.compile("(?i)%(0[0-8bcef]|1[0-9a-f]|7f)");

    private static final Set<HttpMethod> CHANGING =
            Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    private final String contentSecurityPolicy;
    private final boolean hsts;
    private final Optional<Pattern> revalidatePaths;

    public HttpHygiene(
            @ConfigProperty(
                            name = "sansam.http.content-security-policy",
                            defaultValue = "default-src 'none'; frame-ancestors 'none'")
                    String contentSecurityPolicy,
            @ConfigProperty(name = "sansam.http.hsts", defaultValue = "false") boolean hsts,
            @ConfigProperty(name = "sansam.http.revalidate-paths") Optional<Pattern> revalidatePaths) {
        this.contentSecurityPolicy = contentSecurityPolicy;
        this.hsts = hsts;
        this.revalidatePaths = revalidatePaths;
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, 20);
    }

    private void filter(RoutingContext context) {
        String path = context.normalizedPath();
        context.addHeadersEndHandler(ignored -> {
            MultiMap headers = context.response().headers();
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Content-Security-Policy", contentSecurityPolicy);
            if (hsts) {
                headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
            }
            if (revalidatePaths.isPresent()
                    && revalidatePaths.get().matcher(path).matches()) {
                headers.set(HttpHeaders.CACHE_CONTROL, "no-cache");
            }
        });
        if (CONTROL_ESCAPED.matcher(context.request().uri()).find()
                || PlainText.CONTROL.matcher(context.request().uri()).find()) {
            refuse(context, Problem.of(400, "Bad Request", "Control characters are not accepted in a path or query"));
            return;
        }
        if (path.startsWith("/api/")
                && CHANGING.contains(context.request().method())
                && hasBody(context)
                && !isJson(context.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
            refuse(context, Problem.of(415, "Unsupported Media Type", "A request body must be application/json"));
            return;
        }
        context.next();
    }

    /** Answers the problem at once: the request goes no further. */
    private static void refuse(RoutingContext context, Problem problem) {
        context.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.PROBLEM_JSON.toString())
                .end(Json.encode(problem));
    }

    private static boolean hasBody(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        return (length != null && !length.equals("0"))
                || context.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json");
    }
}
