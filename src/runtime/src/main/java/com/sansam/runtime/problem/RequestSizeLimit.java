package com.sansam.runtime.problem;

import com.sansam.messages.Messages;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared body is larger than {@code quarkus.http.limits.max-body-size} with a 413
 * {@code application/problem+json} before anything reads it (Vert.x itself answers a chunked body that grows past
 * the limit with a bare 413).
 */
@ApplicationScoped
public class RequestSizeLimit {

    void install(
            @Observes Router router,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize max) {
        long limit = max.asLongValue();
        String body = Messages.toJson(
                Problem.of(413, "Payload Too Large", "The request body is larger than " + limit + " bytes"));
        router.route().order(Integer.MIN_VALUE + 10).handler(context -> {
            String length = context.request().getHeader("Content-Length");
            if (length != null && declared(length) > limit) {
                context.response()
                        .setStatusCode(413)
                        .putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close")
                        .end(body);
                return;
            }
            context.next();
        });
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException malformed) {
            return 0; // Vert.x rejects a malformed length itself
        }
    }
}
