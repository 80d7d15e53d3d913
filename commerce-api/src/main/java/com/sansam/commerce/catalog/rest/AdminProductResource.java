package com.sansam.commerce.catalog.rest;

import com.sansam.commerce.catalog.model.CatalogDtos.AdjustmentView;
import com.sansam.commerce.catalog.model.CatalogDtos.ProductDetail;
import com.sansam.commerce.catalog.model.CatalogDtos.ProductPatch;
import com.sansam.commerce.catalog.model.CatalogDtos.ProductRequest;
import com.sansam.commerce.catalog.model.CatalogDtos.StockAdjustment;
import com.sansam.commerce.catalog.service.CatalogService;
import com.sansam.commerce.catalog.service.StockAdjustments;
import com.sansam.runtime.session.CurrentUser;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
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
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/admin")
@RolesAllowed("ADMIN")
@Tag(name = "Catalogue (admin)")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdminProductResource {

    private final CatalogService catalog;
    private final StockAdjustments adjustments;
    private final CurrentUser user;

    public AdminProductResource(CatalogService catalog, StockAdjustments adjustments, CurrentUser user) {
        this.catalog = catalog;
        this.adjustments = adjustments;
        this.user = user;
    }

    @POST
    @Path("/products")
    public Uni<Response> register(@NotNull @Valid ProductRequest body) {
        return catalog.register(body)
                .map(detail -> Response.created(URI.create("/api/v1/products/" + detail.id()))
                        .entity(detail)
                        .build());
    }

    @GET
    @Path("/products/{id}")
    public Uni<ProductDetail> view(@PathParam("id") long id) {
        return catalog.adminView(id);
    }

    @PATCH
    @Path("/products/{id}")
    public Uni<ProductDetail> update(@PathParam("id") long id, @NotNull @Valid ProductPatch body) {
        return catalog.update(id, body);
    }

    @DELETE
    @Path("/products/{id}")
    public Uni<Response> retire(@PathParam("id") long id) {
        return catalog.retire(id).map(ignored -> Response.noContent().build());
    }

    /**
     * Restock or correct a SKU: a command to the stock-worker, decided there (202 with the adjustment, to be read again
     * at its Location for the outcome); 409 when this service already sees too few units for the cut.
     */
    @POST
    @Path("/skus/{sku}/stock")
    public Uni<Response> adjustStock(@PathParam("sku") String sku, @NotNull @Valid StockAdjustment body) {
        return adjustments
                .request(sku, body.delta(), body.reason().strip(), user.id())
                .map(view -> Response.accepted(view)
                        .location(URI.create("/api/v1/admin/stock-adjustments/" + view.id()))
                        .build());
    }

    @GET
    @Path("/stock-adjustments/{id}")
    public Uni<AdjustmentView> adjustment(@PathParam("id") UUID id) {
        return adjustments.view(id);
    }

    /** The latest restocks and corrections of the product's SKUs, newest first, each with its outcome. */
    @GET
    @Path("/products/{id}/stock-adjustments")
    public Uni<List<AdjustmentView>> adjustmentsOf(@PathParam("id") long id) {
        return catalog.adminView(id).chain(product -> adjustments.ofProduct(id));
    }
}
