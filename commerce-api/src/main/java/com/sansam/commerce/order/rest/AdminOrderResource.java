package com.sansam.commerce.order.rest;

import com.sansam.commerce.order.model.OrderDtos.OrderPage;
import com.sansam.commerce.order.model.OrderStatus;
import com.sansam.commerce.order.service.OrderService;
import com.sansam.runtime.problem.Refusal;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/admin/orders")
@RolesAllowed("ADMIN")
@Tag(name = "Orders (admin)")
@Produces(MediaType.APPLICATION_JSON)
public class AdminOrderResource {

    private final OrderService orders;

    public AdminOrderResource(OrderService orders) {
        this.orders = orders;
    }

    @GET
    public Uni<OrderPage> list(
            @QueryParam("status") String status,
            @QueryParam("cursor") Long cursor,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(200) int size) {
        OrderStatus filter = null;
        if (status != null && !status.isBlank()) {
            try {
                filter = OrderStatus.valueOf(status.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().failure(Refusal.invalid("status", "Unknown order status " + status));
            }
        }
        return orders.list(null, filter, cursor, size);
    }
}
