package com.sansam.commerce.order.rest;

import com.sansam.commerce.order.model.OrderDtos.CancelRequest;
import com.sansam.commerce.order.model.OrderDtos.CreateOrder;
import com.sansam.commerce.order.model.OrderDtos.OrderPage;
import com.sansam.commerce.order.model.OrderDtos.OrderView;
import com.sansam.commerce.order.model.OrderDtos.StatusView;
import com.sansam.commerce.order.model.OrderStatus;
import com.sansam.commerce.order.service.CancelService;
import com.sansam.commerce.order.service.OrderPlacement;
import com.sansam.commerce.order.service.OrderService;
import com.sansam.runtime.problem.Refusal;
import com.sansam.runtime.session.CurrentUser;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/orders")
@Authenticated
@Tag(name = "Orders")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    private final OrderService orders;
    private final OrderPlacement placement;
    private final CancelService cancels;
    private final CurrentUser currentUser;

    public OrderResource(
            OrderService orders, OrderPlacement placement, CancelService cancels, CurrentUser currentUser) {
        this.placement = placement;
        this.orders = orders;
        this.cancels = cancels;
        this.currentUser = currentUser;
    }

    @POST
    @APIResponse(
            responseCode = "201",
            description = "Placed, PENDING until the stock-worker answers: long-poll "
                    + "GET /api/v1/orders/{orderId}/status?waitWhile=PENDING for STOCK_RESERVED or REJECTED, or "
                    + "send Prefer: wait=N (seconds, at most the status wait) to be answered once it is decided")
    @APIResponse(
            responseCode = "409",
            description = "type /problems/sold-out (extra.sku): a SKU is known to be sold out, or its last units are "
                    + "held by orders still being decided; "
                    + "no order was made; type about:blank with extra.currentPrice: a price changed",
            content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> create(
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam("Prefer") String prefer,
            @NotNull @Valid CreateOrder body) {
        Duration wait = preferredWait(prefer);
        long userId = currentUser.id();
        return placement.create(userId, idempotencyKey, body, wait).map(order -> {
            Response.ResponseBuilder created = Response.created(URI.create("/api/v1/orders/" + order.orderId()))
                    .entity(order);
            return (wait == null ? created : created.header("Preference-Applied", "wait")).build();
        });
    }

    /**
     * The {@code wait} preference of a {@code Prefer} header (RFC 7240: {@code Prefer: wait=10}), or null. A preference
     * the server cannot honour is ignored, as the RFC asks, rather than refused.
     */
    static Duration preferredWait(String prefer) {
        if (prefer == null) {
            return null;
        }
        for (String preference : prefer.split(",")) {
            String[] nameValue = preference.strip().split("=", 2);
            if (nameValue.length == 2 && nameValue[0].strip().equalsIgnoreCase("wait")) {
                try {
                    long seconds = Long.parseLong(nameValue[1].strip());
                    return seconds > 0 ? Duration.ofSeconds(Math.min(seconds, 3_600)) : null;
                } catch (NumberFormatException ignored) {
                    return null;
                }
            }
        }
        return null;
    }

    @GET
    public Uni<OrderPage> mine(
            @QueryParam("cursor") Long cursor, @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        return orders.list(currentUser.id(), null, cursor, size);
    }

    @GET
    @Path("/{orderId}")
    public Uni<OrderView> get(@PathParam("orderId") String orderId) {
        return orders.get(currentUser.id(), currentUser.isAdmin(), orderId);
    }

    /**
     * The order's status. With {@code waitWhile} (a status) the answer waits up to {@code wait} seconds (default
     * 10, at most 30) while the order is still in that status: {@code ?waitWhile=PENDING} answers as soon as the
     * stock is reserved or refused.
     */
    @GET
    @Path("/{orderId}/status")
    public Uni<StatusView> status(
            @PathParam("orderId") String orderId,
            @QueryParam("waitWhile") String waitWhile,
            @QueryParam("wait") @DefaultValue("10") int waitSeconds) {
        if (waitWhile == null) {
            return orders.status(currentUser.id(), currentUser.isAdmin(), orderId);
        }
        OrderStatus unwanted;
        try {
            unwanted = OrderStatus.valueOf(waitWhile);
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("waitWhile", "waitWhile must be an order status such as PENDING");
        }
        return orders.awaitStatus(
                currentUser.id(), currentUser.isAdmin(), orderId, unwanted, java.time.Duration.ofSeconds(waitSeconds));
    }

    @POST
    @Path("/{orderId}/cancel")
    public Uni<OrderView> cancel(@PathParam("orderId") String orderId, @NotNull @Valid CancelRequest body) {
        return cancels.cancel(
                currentUser.id(), currentUser.isAdmin(), orderId, body.reason().strip(), body.lines());
    }

    @DELETE
    @Path("/{orderId}")
    public Uni<Response> discard(@PathParam("orderId") String orderId) {
        return cancels.discard(currentUser.id(), currentUser.isAdmin(), orderId)
                .map(ignored -> Response.noContent().build());
    }
}
