package com.sansam.commerce.deal.rest;

import com.sansam.commerce.deal.model.DealDtos.DealView;
import com.sansam.commerce.deal.model.DealDtos.DrawEntry;
import com.sansam.commerce.deal.model.DealDtos.DrawProof;
import com.sansam.commerce.deal.model.DealDtos.EnterDraw;
import com.sansam.commerce.deal.model.DealDtos.QueuePlace;
import com.sansam.commerce.deal.model.DealDtos.Remaining;
import com.sansam.commerce.deal.service.DealReads;
import com.sansam.commerce.deal.service.DealService;
import com.sansam.commerce.deal.service.DealStream;
import com.sansam.commerce.deal.service.Draws;
import com.sansam.commerce.deal.service.QueueStream;
import com.sansam.commerce.deal.service.WaitingRoom;
import com.sansam.runtime.session.CurrentUser;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

/**
 * Time deals for shoppers: upcoming, live and ended deals, a live remaining count, a start reminder; a QUEUE deal's
 * waiting room and a DRAW deal's entries and proof.
 */
@Path("/api/v1/deals")
@Tag(name = "Time deals")
@Produces(MediaType.APPLICATION_JSON)
public class DealResource {

    private final DealReads reads;
    private final DealService deals;
    private final DealStream stream;
    private final CurrentUser user;

    private final WaitingRoom room;
    private final QueueStream queueStream;
    private final Draws draws;

    public DealResource(
            DealReads reads,
            DealService deals,
            DealStream stream,
            CurrentUser user,
            WaitingRoom room,
            QueueStream queueStream,
            Draws draws) {
        this.room = room;
        this.queueStream = queueStream;
        this.draws = draws;
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

    /** Joins the deal's waiting room (QUEUE deals; joining again answers the place held). */
    @POST
    @Authenticated
    @Path("/{id}/queue")
    public Uni<QueuePlace> join(@PathParam("id") long id) {
        return room.join(user.id(), id);
    }

    @GET
    @Authenticated
    @Path("/{id}/queue")
    public Uni<QueuePlace> place(@PathParam("id") long id) {
        return room.place(user.id(), id);
    }

    /** Server-Sent Events: the buyer's place now and at every change (position, people ahead, estimate, pass). */
    @GET
    @Authenticated
    @Path("/{id}/queue/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<QueuePlace> queueStream(@PathParam("id") long id) {
        return queueStream.open(user.id(), id);
    }

    /** Enters the deal's draw for a SKU (DRAW deals; entering again keeps the entry, for the SKU now named). */
    @PUT
    @Authenticated
    @Path("/{id}/entry")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DrawEntry> enter(@PathParam("id") long id, @NotNull @Valid EnterDraw body) {
        return draws.enter(user.id(), id, body.sku());
    }

    @GET
    @Authenticated
    @Path("/{id}/entry")
    public Uni<DrawEntry> entry(@PathParam("id") long id) {
        return draws.entry(user.id(), id);
    }

    /** Withdraws the entry, until the entries close. */
    @DELETE
    @Authenticated
    @Path("/{id}/entry")
    public Uni<Response> withdraw(@PathParam("id") long id) {
        return draws.withdraw(user.id(), id).map(ignored -> Response.noContent().build());
    }

    /** The draw's public proof: commitment, then the seed, units and every entrant in the drawn order. */
    @GET
    @Path("/{id}/draw")
    public Uni<DrawProof> draw(@PathParam("id") long id) {
        return draws.proof(id);
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
