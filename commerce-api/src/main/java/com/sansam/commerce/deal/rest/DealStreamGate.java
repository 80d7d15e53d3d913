package com.sansam.commerce.deal.rest;

import com.sansam.commerce.deal.service.DealReads;
import com.sansam.commerce.deal.service.WaitingRoom;
import com.sansam.runtime.problem.Refusal;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * A deal's event stream is opened only for a deal that exists: once a stream has started, its status is sent and a
 * failure can no longer be answered, so "no such deal" must be a 404 problem before it starts.
 */
public class DealStreamGate {

    private final DealReads reads;

    private final WaitingRoom room;

    public DealStreamGate(DealReads reads, WaitingRoom room) {
        this.room = room;
        this.reads = reads;
    }

    @ServerRequestFilter
    public Uni<Void> knownDeal(SimpleResourceInfo resource, UriInfo uri) {
        if (resource.getResourceClass() != DealResource.class
                || !List.of("stream", "queueStream").contains(resource.getMethodName())) {
            return Uni.createFrom().voidItem();
        }
        String id = uri.getPathParameters().getFirst("id");
        long dealId;
        try {
            dealId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Uni.createFrom().failure(Refusal.notFound("No deal " + id));
        }
        if ("queueStream".equals(resource.getMethodName())) {
            return room.hasQueue(dealId).map(found -> {
                if (!found) {
                    throw Refusal.notFound("No waiting room for deal " + dealId);
                }
                return null;
            });
        }
        return reads.remaining(dealId).map(now -> {
            if (now == null) {
                throw Refusal.notFound("No deal " + dealId);
            }
            return null;
        });
    }
}
