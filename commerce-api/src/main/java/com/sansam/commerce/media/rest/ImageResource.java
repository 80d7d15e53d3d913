package com.sansam.commerce.media.rest;

import com.sansam.commerce.media.service.ImageService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The stable links product and review views list ({@code catalog.model.ImageLinks}): each redirects to the object in
 * storage, on a public bucket or as a presigned GET, so a view never holds a link that expires.
 */
@Path("/api/v1/images/{id}")
@Tag(name = "Images")
public class ImageResource {

    private final ImageService images;

    public ImageResource(ImageService images) {
        this.images = images;
    }

    @GET
    public Uni<Response> original(@PathParam("id") long id) {
        return images.link(id, false).map(ImageResource::redirect);
    }

    /** The listing thumbnail; the original until the thumbnail is made. */
    @GET
    @Path("/thumbnail")
    public Uni<Response> thumbnail(@PathParam("id") long id) {
        return images.link(id, true).map(ImageResource::redirect);
    }

    private static Response redirect(java.net.URI target) {
        // short-lived: a presigned target expires, and the thumbnail replaces the original once made
        return Response.status(Response.Status.FOUND)
                .location(target)
                .header("Cache-Control", "public, max-age=60")
                .build();
    }
}
