package com.sansam.runtime.inbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: DOWN while any incoming channel has no live consumer (see {@link InboxConsumers}). */
@Readiness
@ApplicationScoped
public class ConsumersHealth implements HealthCheck {

    private final InboxConsumers consumers;

    public ConsumersHealth(InboxConsumers consumers) {
        this.consumers = consumers;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("Message consumers").up();
        consumers.status().forEach((channel, up) -> {
            response.withData(channel, up ? "consuming" : "restarting");
            if (!up) {
                response.down();
            }
        });
        return response.build();
    }
}
