package com.sansam.commerce.media.rest;

import com.sansam.commerce.media.model.Images.NewOrder;
import com.sansam.commerce.media.model.Images.Owner;
import com.sansam.commerce.media.model.Images.StoredImage;
import com.sansam.commerce.media.model.Images.UploadRequest;
import com.sansam.commerce.media.service.ImageService;
import com.sansam.commerce.media.service.ImageService.Actor;
import com.sansam.runtime.session.CurrentUser;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A product's images (admins): upload ticket, confirm, order (first = main image), delete. */
@Path("/api/v1/admin/products/{productId}/images")
@RolesAllowed("ADMIN")
@Tag(name = "Images")
@Produces(MediaType.APPLICATION_JSON)
public class ProductImageResource {

    private final ImageService images;
    private final CurrentUser user;

    public ProductImageResource(ImageService images, CurrentUser user) {
        this.images = images;
        this.user = user;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> startUpload(@PathParam("productId") long productId, UploadRequest body) {
        return images.startUpload(Owner.PRODUCT, productId, actor(), body)
                .map(ticket ->
                        Response.status(Response.Status.CREATED).entity(ticket).build());
    }

    @POST
    @Path("/{imageId}/confirm")
    public Uni<StoredImage> confirm(@PathParam("productId") long productId, @PathParam("imageId") long imageId) {
        return images.confirm(Owner.PRODUCT, productId, imageId, actor());
    }

    @GET
    public Uni<List<StoredImage>> list(@PathParam("productId") long productId) {
        return images.list(Owner.PRODUCT, productId);
    }

    @PUT
    @Path("/order")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<List<StoredImage>> reorder(@PathParam("productId") long productId, NewOrder body) {
        return images.reorder(Owner.PRODUCT, productId, actor(), body);
    }

    @DELETE
    @Path("/{imageId}")
    public Uni<Response> delete(@PathParam("productId") long productId, @PathParam("imageId") long imageId) {
        return images.delete(Owner.PRODUCT, productId, imageId, actor())
                .replaceWith(Response.noContent().build());
    }

    private Actor actor() {
        return new Actor(user.id(), user.isAdmin());
    }
}
