package com.sansam.commerce.notification.rest;

import com.sansam.commerce.notification.model.NotificationDtos.NoticePage;
import com.sansam.commerce.notification.model.NotificationDtos.StreamEvent;
import com.sansam.commerce.notification.model.NotificationDtos.UnreadCount;
import com.sansam.commerce.notification.service.NotificationService;
import com.sansam.commerce.notification.service.NotificationStream;
import com.sansam.runtime.session.CurrentUser;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** The caller's in-site notices, their live stream,. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {

    private final NotificationService notifications;
    private final NotificationStream stream;
    private final CurrentUser user;

    public NotificationResource(NotificationService notifications, NotificationStream stream, CurrentUser user) {
        this.notifications = notifications;
        this.stream = stream;
        this.user = user;
    }

    @GET
    @Authenticated
    @Path("/notifications")
    public Uni<NoticePage> list(
            @QueryParam("unreadFirst") boolean unreadFirst,
            @QueryParam("cursor") String cursor,
            @QueryParam("size") Integer size) {
        return notifications.list(user.id(), unreadFirst, cursor, size);
    }

    @GET
    @Authenticated
    @Path("/notifications/unread-count")
    public Uni<UnreadCount> unreadCount() {
        return notifications.unreadCount(user.id()).map(UnreadCount::new);
    }

    @POST
    @Authenticated
    @Path("/notifications/{id}/read")
    public Uni<UnreadCount> read(@PathParam("id") long noticeId) {
        return notifications.markRead(user.id(), noticeId).map(UnreadCount::new);
    }

    @POST
    @Authenticated
    @Path("/notifications/read-all")
    public Uni<UnreadCount> readAll() {
        return notifications.markAllRead(user.id()).map(UnreadCount::new);
    }

    /** Server-Sent Events: {@code {type: unread|notice|ping, notice, unreadCount}} for every open tab. */
    @GET
    @Authenticated
    @Path("/notifications/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<StreamEvent> stream() {
        return stream.open(user.id());
    }
}
