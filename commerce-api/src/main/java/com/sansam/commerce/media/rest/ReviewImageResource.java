package com.sansam.commerce.media.rest;

import com.sansam.commerce.media.model.Images.Owner;
import com.sansam.commerce.media.model.Images.StoredImage;
import com.sansam.commerce.media.model.Images.UploadRequest;
import com.sansam.commerce.media.service.ImageService;
import com.sansam.commerce.media.service.ImageService.Actor;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A review's images: its author uploads and confirms them; its author or an admin deletes them; anyone lists them. */
@Path("/api/v1/reviews/{reviewId}/images")
@Tag(name = "Images")
@Produces(MediaType.APPLICATION_JSON)
public class ReviewImageResource {

    private final ImageService images;
    private final CurrentUser user;

    public ReviewImageResource(ImageService images, CurrentUser user) {
        this.images = images;
        this.user = user;
    }

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> startUpload(@PathParam("reviewId") long reviewId, UploadRequest body) {
        return images.startUpload(Owner.REVIEW, reviewId, actor(), body)
                .map(ticket ->
                        Response.status(Response.Status.CREATED).entity(ticket).build());
    }

    @POST
    @Authenticated
    @Path("/{imageId}/confirm")
    public Uni<StoredImage> confirm(@PathParam("reviewId") long reviewId, @PathParam("imageId") long imageId) {
        return images.confirm(Owner.REVIEW, reviewId, imageId, actor());
    }

    @GET
    public Uni<List<StoredImage>> list(@PathParam("reviewId") long reviewId) {
        return images.list(Owner.REVIEW, reviewId);
    }

    @DELETE
    @Authenticated
    @Path("/{imageId}")
    public Uni<Response> delete(@PathParam("reviewId") long reviewId, @PathParam("imageId") long imageId) {
        return images.delete(Owner.REVIEW, reviewId, imageId, actor())
                .replaceWith(Response.noContent().build());
    }

    private Actor actor() {
        return new Actor(user.id(), user.isAdmin());
    }
}
