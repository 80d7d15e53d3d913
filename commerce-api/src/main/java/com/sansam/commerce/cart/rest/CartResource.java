package com.sansam.commerce.cart.rest;

import com.sansam.commerce.cart.model.CartDtos.AddItem;
import com.sansam.commerce.cart.model.CartDtos.Cart;
import com.sansam.commerce.cart.model.CartDtos.ChangeQuantity;
import com.sansam.commerce.cart.service.CartService;
import com.sansam.runtime.session.CurrentUser;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/cart")
@Authenticated
@Tag(name = "Cart")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CartResource {

    private final CartService carts;
    private final CurrentUser currentUser;

    public CartResource(CartService carts, CurrentUser currentUser) {
        this.carts = carts;
        this.currentUser = currentUser;
    }

    @GET
    public Uni<Cart> cart() {
        return carts.cart(currentUser.id());
    }

    @POST
    @Path("/items")
    public Uni<Response> add(@NotNull @Valid AddItem body) {
        return carts.add(currentUser.id(), body.sku(), body.quantity())
                .map(cart -> Response.status(201).entity(cart).build());
    }

    @PATCH
    @Path("/items/{itemId}")
    public Uni<Cart> change(@PathParam("itemId") long itemId, @NotNull @Valid ChangeQuantity body) {
        return carts.changeQuantity(currentUser.id(), itemId, body.quantity());
    }

    @DELETE
    @Path("/items/{itemId}")
    public Uni<Response> remove(@PathParam("itemId") long itemId) {
        return carts.remove(currentUser.id(), itemId)
                .map(ignored -> Response.noContent().build());
    }
}
