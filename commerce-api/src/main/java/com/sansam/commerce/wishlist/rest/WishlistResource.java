package com.sansam.commerce.wishlist.rest;

import com.sansam.commerce.catalog.model.CatalogDtos.ProductSummary;
import com.sansam.commerce.catalog.service.CatalogService;
import com.sansam.commerce.wishlist.service.WishlistService;
import com.sansam.runtime.session.CurrentUser;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/wishlist")
@Authenticated
@Tag(name = "Wishlist")
@Produces(MediaType.APPLICATION_JSON)
public class WishlistResource {

    private final WishlistService wishlist;
    private final CatalogService catalog;
    private final CurrentUser currentUser;

    public WishlistResource(WishlistService wishlist, CatalogService catalog, CurrentUser currentUser) {
        this.wishlist = wishlist;
        this.catalog = catalog;
        this.currentUser = currentUser;
    }

    @GET
    public Uni<List<ProductSummary>> list() {
        return wishlist.productIds(currentUser.id()).chain(catalog::summaries);
    }

    @PUT
    @Path("/{productId}")
    public Uni<Response> add(@PathParam("productId") long productId) {
        return wishlist.add(currentUser.id(), productId)
                .map(ignored -> Response.noContent().build());
    }

    @DELETE
    @Path("/{productId}")
    public Uni<Response> remove(@PathParam("productId") long productId) {
        return wishlist.remove(currentUser.id(), productId)
                .map(ignored -> Response.noContent().build());
    }
}
