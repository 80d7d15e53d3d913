package com.sansam.commerce.review.model;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** JSON shapes of the reviews API. */
public final class ReviewDtos {

    private ReviewDtos() {}

    /** {@code orderLineId} picks the purchase reviewed; without it, the oldest purchase not reviewed yet. */
    public record NewReview(
            @NotNull @Min(1) @Max(5) Integer rating,
            @NotBlank @Size(max = 100) String title,
            @NotBlank @Size(max = 4000) String body,
            Long orderLineId) {}

    public record ReviewPatch(
            @Min(1) @Max(5) Integer rating,
            @Size(min = 1, max = 100) String title,
            @Size(min = 1, max = 4000) String body) {}

    public record ReviewView(
            long id,
            long productId,
            long orderLineId,
            String authorName,
            int rating,
            String title,
            String body,
            Instant createdAt,
            Instant updatedAt,
            List<String> imageUrls) {}

    public record ReviewPage(List<ReviewView> reviews, BigDecimal ratingAverage, long ratingCount, String nextCursor) {}
}
