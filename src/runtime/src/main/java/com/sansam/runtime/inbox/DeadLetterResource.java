package com.sansam.runtime.inbox;

import com.sansam.runtime.problem.Refusal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Admin view of messages that failed every try, on every service that consumes messages. */
@Path("/api/v1/admin/dead-letters")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private final DeadLetters letters;

    public DeadLetterResource(DeadLetters letters) {
        this.letters = letters;
    }

    public record DeadLetterView(
            long id,
            UUID messageId,
            String channel,
            String type,
            String error,
            int attempts,
            Instant createdAt,
            Instant replayedAt,
            String body) {

        static DeadLetterView of(DeadLetter letter) {
            return new DeadLetterView(
                    letter.id,
                    letter.messageId,
                    letter.channel,
                    letter.type,
                    letter.error,
                    letter.attempts,
                    letter.createdAt,
                    letter.replayedAt,
                    letter.body);
        }
    }

    /** Newest first; {@code replayed=false} (default) lists only those still waiting. */
    @GET
    public Uni<List<DeadLetterView>> list(@QueryParam("replayed") @DefaultValue("false") boolean replayed) {
        return Panache.withSession(() -> DeadLetter.<DeadLetter>find(
                                replayed ? "replayedAt is not null" : "replayedAt is null", Sort.descending("id"))
                        .page(0, 200)
                        .list())
                .map(letters -> letters.stream().map(DeadLetterView::of).toList());
    }

    @POST
    @Path("/{id}/replay")
    public Uni<DeadLetterView> replay(@PathParam("id") long id) {
        return letters.replay(id).map(letter -> {
            if (letter == null) {
                throw Refusal.notFound("No dead letter " + id);
            }
            return DeadLetterView.of(letter);
        });
    }
}
