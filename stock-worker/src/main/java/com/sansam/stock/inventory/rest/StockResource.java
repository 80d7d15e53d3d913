package com.sansam.stock.inventory.rest;

import com.sansam.runtime.problem.Refusal;
import com.sansam.stock.inventory.model.StockItem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;

/** Read-only stock view for operators (admins). Changes only ever arrive as commands over RabbitMQ. */
@Path("/api/v1/stock")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class StockResource {

    public record StockView(
            String sku,
            int available,
            int reserved,
            int lowThreshold,
            boolean lowAlerted,
            long version,
            Instant updatedAt) {}

    @GET
    @Path("/{sku}")
    public Uni<StockView> get(@PathParam("sku") String sku) {
        return Panache.withSession(() -> StockItem.<StockItem>findById(sku)).map(item -> {
            if (item == null) {
                throw Refusal.notFound("No stock for SKU " + sku);
            }
            return new StockView(
                    item.sku,
                    item.available,
                    item.reserved,
                    item.lowThreshold,
                    item.lowAlerted,
                    item.version,
                    item.updatedAt);
        });
    }
}
