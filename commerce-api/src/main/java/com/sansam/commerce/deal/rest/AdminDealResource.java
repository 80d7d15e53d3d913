package com.sansam.commerce.deal.rest;

import com.sansam.commerce.deal.model.DealDtos.AdminDealView;
import com.sansam.commerce.deal.model.DealDtos.CreateDeal;
import com.sansam.commerce.deal.model.DealDtos.PatchDeal;
import com.sansam.commerce.deal.service.DealReads;
import com.sansam.commerce.deal.service.DealService;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Time deals for admins: open one (its units are set aside by the stock-worker), edit it before it starts, end it. */
@Path("/api/v1/admin/deals")
@RolesAllowed("ADMIN")
@Tag(name = "Time deals (admin)")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdminDealResource {

    private final DealService deals;
    private final DealReads reads;

    public AdminDealResource(DealService deals, DealReads reads) {
        this.deals = deals;
        this.reads = reads;
    }

    /** 201 with the deal as PENDING: GET shows OPEN once its units are set aside, or REFUSED with the short SKU. */
    @POST
    public Uni<Response> create(@NotNull @Valid CreateDeal body) {
        return deals.create(body)
                .map(deal -> Response.created(URI.create("/api/v1/admin/deals/" + deal.id()))
                        .entity(deal)
                        .build());
    }

    @GET
    public Uni<List<AdminDealView>> list() {
        return reads.adminList(100);
    }

    @GET
    @Path("/{id}")
    public Uni<AdminDealView> view(@PathParam("id") long id) {
        return reads.adminView(id);
    }

    /** Before the start only (409 {@code deal-started} after). */
    @PATCH
    @Path("/{id}")
    public Uni<AdminDealView> edit(@PathParam("id") long id, @NotNull @Valid PatchDeal body) {
        return deals.patch(id, body);
    }

    /** Ends the deal now, before or during it: its unsold units go back to regular stock. */
    @DELETE
    @Path("/{id}")
    public Uni<Response> end(@PathParam("id") long id) {
        return deals.endEarly(id).map(ignored -> Response.noContent().build());
    }
}
