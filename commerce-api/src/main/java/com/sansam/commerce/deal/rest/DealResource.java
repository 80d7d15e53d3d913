package com.sansam.commerce.deal.rest;

import com.sansam.commerce.deal.model.DealDtos.DealView;
import com.sansam.commerce.deal.model.DealDtos.Remaining;
import com.sansam.commerce.deal.service.DealReads;
import com.sansam.commerce.deal.service.DealService;
import com.sansam.commerce.deal.service.DealStream;
import com.sansam.contracts.session.CurrentUser;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Time deals for shoppers: upcoming, live and ended deals, a live remaining count, and a start reminder. */
@Path("/api/v1/deals")
@Tag(name = "Time deals")
@Produces(MediaType.APPLICATION_JSON)
public class DealResource {

    private final DealReads reads;
    private final DealService deals;
    private final DealStream stream;
    private final CurrentUser user;

    public DealResource(DealReads reads, DealService deals, DealStream stream, CurrentUser user) {
        this.reads = reads;
        this.deals = deals;
        this.stream = stream;
        this.user = user;
    }

    @GET
    public Uni<List<DealView>> list(
            @QueryParam("state") @DefaultValue("live") String state,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(50) int size) {
        return reads.list(state, size);
    }

    @GET
    @Path("/{id}")
    public Uni<DealView> view(@PathParam("id") long id) {
        return reads.shopperView(id);
    }

    /** Server-Sent Events: {@code {dealId, state, remaining, lines: [{sku, remaining}]}} now and at every change. */
    @GET
    @Path("/{id}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<Remaining> stream(@PathParam("id") long id) {
        return RestMulti.fromUniResponse(stream.open(id), counts -> counts);
    }

    /** Tell me when it starts (an in-site notice). */
    @PUT
    @Authenticated
    @Path("/{id}/reminder")
    public Uni<Response> remind(@PathParam("id") long id) {
        return deals.remindMe(user.id(), id).map(ignored -> Response.noContent().build());
    }

    @DELETE
    @Authenticated
    @Path("/{id}/reminder")
    public Uni<Response> forget(@PathParam("id") long id) {
        return deals.forgetReminder(user.id(), id)
                .map(ignored -> Response.noContent().build());
    }
}
