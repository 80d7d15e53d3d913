package com.sansam.commerce.notification.rest;

import com.sansam.commerce.notification.model.NotificationDtos.Broadcast;
import com.sansam.commerce.notification.service.NotificationService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Admin broadcasts: one in-site notice to every active user. */
@Path("/api/v1/admin/notifications")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminNotificationResource {

    private final NotificationService notifications;

    public AdminNotificationResource(NotificationService notifications) {
        this.notifications = notifications;
    }

    @POST
    @Path("/broadcast")
    public Uni<Map<String, Long>> broadcast(@NotNull @Valid Broadcast body) {
        return notifications.broadcast(body).map(count -> Map.of("recipients", count));
    }
}
