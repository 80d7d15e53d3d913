package com.sansam.commerce.review.service;

import com.sansam.commerce.catalog.model.ImageLinks;
import com.sansam.commerce.catalog.model.Product;
import com.sansam.commerce.catalog.service.CatalogCache;
import com.sansam.commerce.order.service.Purchases;
import com.sansam.commerce.review.model.Review;
import com.sansam.commerce.review.model.ReviewDtos.NewReview;
import com.sansam.commerce.review.model.ReviewDtos.ReviewPage;
import com.sansam.commerce.review.model.ReviewDtos.ReviewPatch;
import com.sansam.commerce.review.model.ReviewDtos.ReviewView;
import com.sansam.runtime.paging.KeysetCursor;
import com.sansam.runtime.problem.Refusal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reviews: only a buyer (a paid order line of the product, not wholly cancelled) may write one, one per
 * purchased line; only its author edits it, its author or an admin deletes it. The product's rating sum and
 * count move by the same delta in the same transaction, so the average stays right under edits and deletes.
 */
@ApplicationScoped
public class ReviewService {

    private static final String WITHDRAWN_AUTHOR = "(탈퇴한 회원)";
    private static final String REVIEW_COLUMNS = """
            select r.id, r.product_id, r.order_line_id, u.name, r.rating, r.title, r.body, r.created_at, r.updated_at,
                   (select string_agg(i.id::text, ',' order by i.position, i.id) from image i
                    where i.owner_type = 'REVIEW' and i.owner_id = r.id and i.status = 'READY') as images
            from review r join users u on u.id = r.user_id""";

    private final CatalogCache cache;
    private final Purchases purchases;

    public ReviewService(CatalogCache cache, Purchases purchases) {
        this.cache = cache;
        this.purchases = purchases;
    }

    public Uni<ReviewPage> list(long productId, String sort, String cursor, Integer size) {
        boolean byRating = parseSort(sort);
        int limit = size == null ? 20 : size;
        if (limit < 1 || limit > 100) {
            throw Refusal.invalid("size", "size must be 1 to 100");
        }
        long[] after = cursor == null || cursor.isBlank() ? null : KeysetCursor.decodeLongs(cursor, 2);
        String keyset = after == null
                ? ""
                : byRating ? " and (r.rating, r.id) < (:afterRating, :afterId)" : " and r.id < :afterId";
        String order = byRating ? " order by r.rating desc, r.id desc" : " order by r.id desc";
        return Panache.withSession(() -> Product.<Product>findById(productId).chain(product -> {
            if (product == null) {
                throw Refusal.notFound("no product " + productId);
            }
            return Panache.getSession()
                    .chain(session -> {
                        var query = session.createNativeQuery(
                                        REVIEW_COLUMNS + " where r.product_id = :product" + keyset + order
                                                + " limit :limit",
                                        Object[].class)
                                .setParameter("product", productId)
                                .setParameter("limit", limit + 1);
                        if (after != null) {
                            query.setParameter("afterId", after[1]);
                            if (byRating) {
                                query.setParameter("afterRating", (short) after[0]);
                            }
                        }
                        return query.getResultList();
                    })
                    .chain(rows -> ratingOf(productId).map(rating -> {
                        List<ReviewView> reviews = new ArrayList<>();
                        for (Object[] row : rows) {
                            reviews.add(view(row));
                        }
                        String next = null;
                        if (reviews.size() > limit) {
                            reviews = reviews.subList(0, limit);
                            ReviewView last = reviews.get(limit - 1);
                            next = KeysetCursor.encode(last.rating(), last.id());
                        }
                        return new ReviewPage(List.copyOf(reviews), rating.average(), rating.count(), next);
                    }));
        }));
    }

    public Uni<ReviewView> create(long userId, long productId, NewReview request) {
        return Panache.withTransaction(() -> Product.<Product>findById(productId)
                        .chain(product -> {
                            if (product == null) {
                                throw Refusal.notFound("no product " + productId);
                            }
                            return purchasedLines(userId, productId);
                        })
                        .chain(lines -> {
                            if (lines.isEmpty()) {
                                throw Refusal.forbidden("only a buyer of this product may review it");
                            }
                            long lineId;
                            if (request.orderLineId() != null) {
                                Purchase chosen = lines.stream()
                                        .filter(line -> line.lineId() == request.orderLineId())
                                        .findFirst()
                                        .orElseThrow(() -> Refusal.forbidden(
                                                "order line " + request.orderLineId() + " is not a purchase of yours"));
                                if (chosen.reviewed()) {
                                    throw Refusal.conflict("that purchase is already reviewed");
                                }
                                lineId = chosen.lineId();
                            } else {
                                lineId = lines.stream()
                                        .filter(line -> !line.reviewed())
                                        .mapToLong(Purchase::lineId)
                                        .findFirst()
                                        .orElseThrow(() ->
                                                Refusal.conflict("every purchase of this product is already reviewed"));
                            }
                            Review review = new Review();
                            review.productId = productId;
                            review.userId = userId;
                            review.orderLineId = lineId;
                            review.rating = request.rating().shortValue();
                            review.title = request.title().strip();
                            review.body = request.body().strip();
                            review.createdAt = now();
                            review.updatedAt = review.createdAt;
                            return review.<Review>persist().call(saved -> moveRating(productId, saved.rating, 1));
                        }))
                .onFailure(ReviewService::isDuplicateLine)
                .transform(e -> Refusal.conflict("that purchase is already reviewed"))
                .call(saved -> cache.productChanged(productId))
                .chain(saved -> reviewView(saved.id));
    }

    public Uni<ReviewView> update(long userId, long reviewId, ReviewPatch patch) {
        return Panache.withTransaction(() -> Review.<Review>findById(reviewId).chain(review -> {
                    if (review == null) {
                        throw Refusal.notFound("no review " + reviewId);
                    }
                    if (review.userId != userId) {
                        throw Refusal.forbidden("only its author may edit a review");
                    }
                    int delta = patch.rating() == null ? 0 : patch.rating() - review.rating;
                    if (patch.rating() != null) {
                        review.rating = patch.rating().shortValue();
                    }
                    if (patch.title() != null) {
                        review.title = nonBlank("title", patch.title());
                    }
                    if (patch.body() != null) {
                        review.body = nonBlank("body", patch.body());
                    }
                    review.updatedAt = now();
                    return (delta == 0 ? Uni.createFrom().voidItem() : moveRating(review.productId, delta, 0))
                            .replaceWith(review);
                }))
                .call(review -> cache.productChanged(review.productId))
                .chain(review -> reviewView(review.id));
    }

    public Uni<Void> delete(long userId, boolean admin, long reviewId) {
        return Panache.withTransaction(() -> Review.<Review>findById(reviewId).chain(review -> {
                    if (review == null) {
                        throw Refusal.notFound("no review " + reviewId);
                    }
                    if (review.userId != userId && !admin) {
                        throw Refusal.forbidden("only its author or an admin may delete a review");
                    }
                    return review.delete()
                            .chain(() -> moveRating(review.productId, -review.rating, -1))
                            .replaceWith(review.productId);
                }))
                .call(cache::productChanged)
                .replaceWithVoid();
    }

    /** The user's purchases of the product, each with whether it is reviewed already. */
    private record Purchase(long lineId, boolean reviewed) {}

    private Uni<List<Purchase>> purchasedLines(long userId, long productId) {
        return purchases
                .lines(userId, productId)
                .chain(lines -> lines.isEmpty()
                        ? Uni.createFrom().item(List.<Purchase>of())
                        : Review.<Review>list("orderLineId in ?1", lines).map(reviews -> {
                            var reviewed = reviews.stream()
                                    .map(review -> review.orderLineId)
                                    .collect(java.util.stream.Collectors.toSet());
                            return lines.stream()
                                    .map(line -> new Purchase(line, reviewed.contains(line)))
                                    .toList();
                        }));
    }

    private static Uni<Void> moveRating(long productId, int ratingDelta, int countDelta) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "update product set rating_sum = rating_sum + :sum, rating_count = rating_count + :count where id = :id")
                        .setParameter("sum", ratingDelta)
                        .setParameter("count", countDelta)
                        .setParameter("id", productId)
                        .executeUpdate())
                .replaceWithVoid();
    }

    private record Rating(BigDecimal average, long count) {}

    private static Uni<Rating> ratingOf(long productId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select rating_avg, rating_count from product where id = :id", Object[].class)
                        .setParameter("id", productId)
                        .getSingleResult())
                .map(row -> new Rating((BigDecimal) row[0], ((Number) row[1]).longValue()));
    }

    private static Uni<ReviewView> reviewView(long reviewId) {
        return Panache.withSession(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(REVIEW_COLUMNS + " where r.id = :id", Object[].class)
                        .setParameter("id", reviewId)
                        .getSingleResult())
                .map(ReviewService::view));
    }

    private static ReviewView view(Object[] row) {
        return new ReviewView(
                ((Number) row[0]).longValue(),
                ((Number) row[1]).longValue(),
                ((Number) row[2]).longValue(),
                row[3] == null ? WITHDRAWN_AUTHOR : (String) row[3],
                ((Number) row[4]).intValue(),
                (String) row[5],
                (String) row[6],
                instant(row[7]),
                instant(row[8]),
                imageLinks((String) row[9]));
    }

    /** The review's confirmed images (media feature), as the stable links views carry. */
    private static List<String> imageLinks(String ids) {
        if (ids == null || ids.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(ids.split(","))
                .map(id -> ImageLinks.original(Long.parseLong(id)))
                .toList();
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + value);
    }

    private static boolean parseSort(String sort) {
        if (sort == null || sort.isBlank() || sort.equalsIgnoreCase("newest")) {
            return false;
        }
        if (sort.toLowerCase(Locale.ROOT).equals("rating")) {
            return true;
        }
        throw Refusal.invalid("sort", "sort must be newest or rating");
    }

    private static String nonBlank(String field, String value) {
        if (value.isBlank()) {
            throw Refusal.invalid(field, field + " must not be blank");
        }
        return value.strip();
    }

    private static boolean isDuplicateLine(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException violation
                    && violation.getKind()
                            == org.hibernate.exception.ConstraintViolationException.ConstraintKind.UNIQUE) {
                return true;
            }
        }
        return false;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
