package com.sansam.chat.room.rest;

import com.sansam.chat.room.model.RoomDtos.CreateRoom;
import com.sansam.chat.room.model.RoomDtos.MessagePage;
import com.sansam.chat.room.model.RoomDtos.MyRoom;
import com.sansam.chat.room.model.RoomDtos.RoomPage;
import com.sansam.chat.room.model.RoomDtos.RoomView;
import com.sansam.chat.room.service.MessageService;
import com.sansam.chat.room.service.RoomService;
import com.sansam.runtime.problem.Refusal;
import com.sansam.runtime.session.CurrentUser;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** Open chat rooms over REST (realtime traffic goes through {@code /ws/chat}). */
@Path("/api/v1/chat/rooms")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class RoomResource {

    private final RoomService rooms;
    private final MessageService messages;
    private final CurrentUser user;

    public RoomResource(RoomService rooms, MessageService messages, CurrentUser user) {
        this.rooms = rooms;
        this.messages = messages;
        this.user = user;
    }

    @GET
    public Uni<RoomPage> search(
            @QueryParam("q") String q, @QueryParam("cursor") String cursor, @QueryParam("size") Integer size) {
        return rooms.search(user.id(), q, cursor, size);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(CreateRoom request) {
        if (request == null) {
            throw Refusal.invalid("name", "a JSON body with name is required");
        }
        return rooms.create(user.id(), request)
                .map(room -> Response.created(URI.create("/api/v1/chat/rooms/" + room.id()))
                        .entity(room)
                        .build());
    }

    @GET
    @Path("/mine")
    public Uni<List<MyRoom>> mine(@QueryParam("size") Integer size) {
        return rooms.mine(user.id(), size);
    }

    @GET
    @Path("/{id}")
    public Uni<RoomView> one(@PathParam("id") long roomId) {
        return rooms.one(user.id(), roomId);
    }

    @POST
    @Path("/{id}/members")
    public Uni<RoomView> join(@PathParam("id") long roomId) {
        return rooms.join(user.id(), roomId);
    }

    @DELETE
    @Path("/{id}/members/me")
    public Uni<Response> leave(@PathParam("id") long roomId) {
        return rooms.leave(user.id(), roomId).replaceWith(Response.noContent().build());
    }

    @GET
    @Path("/{id}/messages")
    public Uni<MessagePage> history(
            @PathParam("id") long roomId, @QueryParam("before") Long before, @QueryParam("size") Integer size) {
        return messages.history(user.id(), roomId, before, size);
    }

    @DELETE
    @Path("/{id}/messages/{messageId}")
    public Uni<Response> deleteMessage(@PathParam("id") long roomId, @PathParam("messageId") long messageId) {
        return messages.delete(user.id(), roomId, messageId)
                .replaceWith(Response.noContent().build());
    }
}
