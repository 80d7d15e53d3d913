package com.sansam.commerce.catalog.service;

import com.sansam.commerce.catalog.model.CatalogDtos.ProductPage;
import com.sansam.commerce.catalog.model.CatalogDtos.ProductSummary;
import com.sansam.commerce.catalog.model.Product;
import com.sansam.commerce.catalog.model.ProductOption;
import com.sansam.commerce.catalog.model.SkuAvailability;
import com.sansam.runtime.paging.KeysetCursor;
import com.sansam.runtime.problem.Refusal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Product listing and search with keyset paging. Search matches every word of {@code q} against name, brand
 * and description through the pg_trgm index (a substring match or a close word match), which also finds
 * parts of Korean words. The cursor carries the last row's sort key and id, so pages neither repeat nor skip
 * rows when products are added meanwhile.
 */
@ApplicationScoped
public class ProductSearch {

    public enum Sort {
        NEWEST("id", "id", false),
        PRICE_ASC("price", "price", true),
        PRICE_DESC("price", "price", false),
        POPULAR("popularity", "popularity", false),
        RATING("rating_avg", "ratingAvg", false);

        final String column;
        final String field;
        final boolean ascending;

        Sort(String column, String field, boolean ascending) {
            this.column = column;
            this.field = field;
            this.ascending = ascending;
        }

        public static Sort parse(String value) {
            if (value == null || value.isBlank()) {
                return NEWEST;
            }
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw Refusal.invalid("sort", "sort must be one of newest, price_asc, price_desc, popular, rating");
            }
        }
    }

    public record Query(
            String q,
            String category,
            String brand,
            Long minPrice,
            Long maxPrice,
            boolean inStock,
            Sort sort,
            String cursor,
            int size) {

        /** True for the first page of a plain category (or whole-shop) listing: the page worth caching. */
        public boolean isCacheableFirstPage() {
            return (q == null || q.isBlank())
                    && brand == null
                    && minPrice == null
                    && maxPrice == null
                    && !inStock
                    && cursor == null;
        }

        /** Names the query for the cache: the same normalised query, the same key (a digest, so keys stay short). */
        public String cacheKey() {
            String text = String.join(
                    "\u0000",
                    q == null ? "" : q.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " "),
                    category == null ? "" : category.trim(),
                    brand == null ? "" : brand.trim().toLowerCase(Locale.ROOT),
                    String.valueOf(minPrice),
                    String.valueOf(maxPrice),
                    String.valueOf(inStock),
                    sort.name(),
                    cursor == null ? "" : cursor,
                    Integer.toString(size));
            return (isCacheableFirstPage() ? "first:" : "query:") + CatalogCache.digest(text);
        }
    }

    public Uni<ProductPage> search(Query query) {
        Map<String, Object> params = new HashMap<>();
        StringBuilder sql = new StringBuilder("select p.id from product p where p.status = 'ACTIVE'");
        if (query.q() != null && !query.q().isBlank()) {
            String[] words = query.q().toLowerCase(Locale.ROOT).trim().split("\\s+");
            for (int i = 0; i < Math.min(words.length, 8); i++) {
                sql.append(" and (p.search_text ilike :like")
                        .append(i)
                        .append(" or :word")
                        .append(i)
                        .append(" <% p.search_text)");
                params.put("like" + i, "%" + escapeLike(words[i]) + "%");
                params.put("word" + i, words[i]);
            }
        }
        if (query.category() != null && !query.category().isBlank()) {
            sql.append(
                    " and p.category_id in (select c.id from category c where c.path like"
                            + " (select s.path from category s where s.slug = :category or cast(s.id as text) = :category) || '%')");
            params.put("category", query.category().trim());
        }
        if (query.brand() != null && !query.brand().isBlank()) {
            sql.append(" and lower(p.brand) = :brand");
            params.put("brand", query.brand().trim().toLowerCase(Locale.ROOT));
        }
        if (query.minPrice() != null) {
            sql.append(" and p.price >= :minPrice");
            params.put("minPrice", query.minPrice());
        }
        if (query.maxPrice() != null) {
            sql.append(" and p.price <= :maxPrice");
            params.put("maxPrice", query.maxPrice());
        }
        if (query.inStock()) {
            sql.append(" and exists (select 1 from product_option o join sku_availability a on a.sku = o.sku"
                    + " where o.product_id = p.id and a.available > 0)");
        }
        Sort sort = query.sort();
        if (query.cursor() != null) {
            Cursor cursor = Cursor.decode(query.cursor(), sort);
            String op = sort.ascending ? ">" : "<";
            sql.append(" and (p.")
                    .append(sort.column)
                    .append(", p.id) ")
                    .append(op)
                    .append(" (cast(:cursorValue as numeric), :cursorId)");
            params.put("cursorValue", new java.math.BigDecimal(cursor.value()));
            params.put("cursorId", cursor.id());
        }
        String direction = sort.ascending ? " asc" : " desc";
        sql.append(" order by p.")
                .append(sort.column)
                .append(direction)
                .append(", p.id")
                .append(direction);
        sql.append(" limit :limit");
        params.put("limit", query.size() + 1);

        return Panache.withSession(() -> Panache.getSession()
                .chain(session -> {
                    var nativeQuery = session.createNativeQuery(sql.toString(), Long.class);
                    params.forEach(nativeQuery::setParameter);
                    return nativeQuery.getResultList();
                })
                .chain(ids -> {
                    boolean more = ids.size() > query.size();
                    return inOrder(more ? ids.subList(0, query.size()) : ids).chain(page -> {
                        String next = more ? Cursor.encode(sort, page.get(page.size() - 1)) : null;
                        return summaries(page).map(items -> new ProductPage(items, next));
                    });
                }));
    }

    /** Loads the products of these ids, in the ids' order (call inside a session). */
    public static Uni<List<Product>> inOrder(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Product.<Product>list("id in ?1", ids).map(products -> {
            Map<Long, Product> byId = products.stream().collect(Collectors.toMap(p -> p.id, p -> p));
            return ids.stream()
                    .map(byId::get)
                    .filter(java.util.Objects::nonNull)
                    .toList();
        });
    }

    /** Summaries of products in the given order, with their in-stock flag (call inside a session). */
    public static Uni<List<ProductSummary>> summaries(List<Product> products) {
        if (products.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Long> ids = products.stream().map(p -> p.id).toList();
        return ProductOption.ofProducts(ids)
                .chain(options -> SkuAvailability.of(
                                options.stream().map(o -> o.sku).toList())
                        .map(available -> {
                            Set<Long> inStock = options.stream()
                                    .filter(o -> available.getOrDefault(o.sku, 0) > 0)
                                    .map(o -> o.productId)
                                    .collect(Collectors.toSet());
                            List<ProductSummary> items = new ArrayList<>();
                            for (Product p : products) {
                                items.add(new ProductSummary(
                                        p.id,
                                        p.name,
                                        p.brand,
                                        p.categoryId,
                                        p.price,
                                        com.sansam.commerce.catalog.model.ImageLinks.forListing(p.imageUrls),
                                        p.ratingAvg,
                                        p.ratingCount,
                                        p.wishlistCount,
                                        inStock.contains(p.id)));
                            }
                            return items;
                        }));
    }

    private static String escapeLike(String word) {
        return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Opaque to clients: base64url of "sort|value|id". */
    record Cursor(String value, long id) {

        static String encode(Sort sort, Product last) {
            String value = switch (sort) {
                case NEWEST -> Long.toString(last.id);
                case PRICE_ASC, PRICE_DESC -> Long.toString(last.price);
                case POPULAR -> Long.toString(last.popularity);
                case RATING -> last.ratingAvg == null ? "0" : last.ratingAvg.toPlainString();
            };
            return KeysetCursor.encode(sort.name(), value, last.id);
        }

        static Cursor decode(String cursor, Sort sort) {
            String[] parts = KeysetCursor.decode(cursor, 3);
            try {
                if (!parts[0].equals(sort.name())) {
                    throw new IllegalArgumentException("cursor of another sort");
                }
                new java.math.BigDecimal(parts[1]);
                return new Cursor(parts[1], Long.parseLong(parts[2]));
            } catch (IllegalArgumentException e) {
                throw Refusal.invalid("cursor", "The cursor is not one this listing handed out (for this sort)");
            }
        }
    }
}
