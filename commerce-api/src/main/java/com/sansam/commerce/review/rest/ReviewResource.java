package com.sansam.commerce.review.rest;

import com.sansam.commerce.review.model.ReviewDtos.NewReview;
import com.sansam.commerce.review.model.ReviewDtos.ReviewPage;
import com.sansam.commerce.review.model.ReviewDtos.ReviewPatch;
import com.sansam.commerce.review.model.ReviewDtos.ReviewView;
import com.sansam.commerce.review.service.ReviewService;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Product reviews: anyone reads them; buyers write them; authors edit them; authors or admins delete them. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ReviewResource {

    private final ReviewService reviews;
    private final CurrentUser user;

    public ReviewResource(ReviewService reviews, CurrentUser user) {
        this.reviews = reviews;
        this.user = user;
    }

    @GET
    @Path("/products/{id}/reviews")
    public Uni<ReviewPage> list(
            @PathParam("id") long productId,
            @QueryParam("sort") String sort,
            @QueryParam("cursor") String cursor,
            @QueryParam("size") Integer size) {
        return reviews.list(productId, sort, cursor, size);
    }

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/products/{id}/reviews")
    public Uni<Response> create(@PathParam("id") long productId, @NotNull @Valid NewReview body) {
        return reviews.create(user.id(), productId, body)
                .map(review -> Response.created(URI.create("/api/v1/reviews/" + review.id()))
                        .entity(review)
                        .build());
    }

    @PATCH
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/reviews/{id}")
    public Uni<ReviewView> update(@PathParam("id") long reviewId, @NotNull @Valid ReviewPatch body) {
        return reviews.update(user.id(), reviewId, body);
    }

    @DELETE
    @Authenticated
    @Path("/reviews/{id}")
    public Uni<Response> delete(@PathParam("id") long reviewId) {
        return reviews.delete(user.id(), user.isAdmin(), reviewId)
                .replaceWith(Response.noContent().build());
    }
}
