package com.sansam.commerce.catalog.service;

import com.sansam.commerce.catalog.mapping.CatalogMapper;
import com.sansam.commerce.catalog.model.CatalogDtos.CategoryNode;
import com.sansam.commerce.catalog.model.CatalogDtos.OptionRequest;
import com.sansam.commerce.catalog.model.CatalogDtos.ProductDetail;
import com.sansam.commerce.catalog.model.CatalogDtos.ProductPatch;
import com.sansam.commerce.catalog.model.CatalogDtos.ProductRequest;
import com.sansam.commerce.catalog.model.Category;
import com.sansam.commerce.catalog.model.ImageLinks;
import com.sansam.commerce.catalog.model.Product;
import com.sansam.commerce.catalog.model.ProductOption;
import com.sansam.commerce.catalog.model.ProductStatus;
import com.sansam.commerce.catalog.model.SkuAvailability;
import com.sansam.runtime.outbox.OutboxRelay;
import com.sansam.runtime.problem.Refusal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalogue's rules: products and their options, retirement, stock commands for new SKUs and restocks
 * (through the outbox: stock itself lives in the stock-worker), and product detail with availability.
 */
@ApplicationScoped
public class CatalogService {

    private final OutboxRelay relay;
    private final CatalogCache cache;
    private final Popularity popularity;
    private final StockAdjustments adjustments;

    public CatalogService(OutboxRelay relay, CatalogCache cache, Popularity popularity, StockAdjustments adjustments) {
        this.adjustments = adjustments;
        this.relay = relay;
        this.cache = cache;
        this.popularity = popularity;
    }

    public Uni<ProductDetail> register(ProductRequest request) {
        return Panache.withTransaction(() -> requireCategory(request.categoryId())
                        .chain(() -> requireNewSkus(request.options()))
                        .chain(() -> {
                            Product product = new Product();
                            product.name = request.name().strip();
                            product.brand = request.brand().strip();
                            product.categoryId = request.categoryId();
                            product.price = request.price();
                            product.description = request.description() == null
                                    ? ""
                                    : request.description().strip();
                            product.imageUrls = request.imageUrls() == null ? List.of() : request.imageUrls();
                            product.status = ProductStatus.ACTIVE;
                            product.createdAt = Instant.now();
                            product.updatedAt = product.createdAt;
                            return product.<Product>persist();
                        })
                        .call(product -> addOptions(product, request.options()))
                        .chain(product -> detailOf(product)))
                .call(detail -> cache.productChanged(detail.id()))
                .invoke(relay::nudge);
    }

    public Uni<ProductDetail> update(long id, ProductPatch patch) {
        return Panache.withTransaction(() -> Product.<Product>findById(id)
                        .onItem()
                        .ifNull()
                        .failWith(() -> Refusal.notFound("No product " + id))
                        .call(product -> patch.categoryId() == null
                                ? Uni.createFrom().voidItem()
                                : requireCategory(patch.categoryId()))
                        .call(product -> patch.addOptions() == null
                                ? Uni.createFrom().voidItem()
                                : requireNewSkus(patch.addOptions()))
                        .call(product -> {
                            if (patch.name() != null) {
                                product.name = patch.name().strip();
                            }
                            if (patch.brand() != null) {
                                product.brand = patch.brand().strip();
                            }
                            if (patch.categoryId() != null) {
                                product.categoryId = patch.categoryId();
                            }
                            if (patch.price() != null) {
                                product.price = patch.price(); // placed orders keep their snapshot price
                            }
                            if (patch.description() != null) {
                                product.description = patch.description().strip();
                            }
                            if (patch.imageUrls() != null) {
                                product.imageUrls = ImageLinks.withTyped(
                                        product.imageUrls, patch.imageUrls()); // uploaded images stay
                            }
                            product.updatedAt = Instant.now();
                            return patch.addOptions() == null
                                    ? Uni.createFrom().voidItem()
                                    : addOptions(product, patch.addOptions());
                        })
                        .chain(product ->
                                Panache.getSession().chain(s -> s.flush()).chain(() -> detailOf(product))))
                .call(detail -> cache.productChanged(id))
                .invoke(relay::nudge);
    }

    /** Retire: hidden from listings and carts, kept for orders and reviews. Idempotent. */
    public Uni<Void> retire(long id) {
        return Panache.withTransaction(() -> Product.<Product>findById(id)
                        .onItem()
                        .ifNull()
                        .failWith(() -> Refusal.notFound("No product " + id))
                        .invoke(product -> {
                            product.status = ProductStatus.RETIRED;
                            product.updatedAt = Instant.now();
                        }))
                .call(product -> cache.productChanged(id))
                .replaceWithVoid();
    }

    /** Listing summaries of these products, in this order (ids of products that are gone are skipped). */
    public Uni<List<com.sansam.commerce.catalog.model.CatalogDtos.ProductSummary>> summaries(List<Long> productIds) {
        return Panache.withSession(() -> ProductSearch.inOrder(productIds).chain(ProductSearch::summaries));
    }

    /** Admin view: retired products too, with per-option availability. */
    public Uni<ProductDetail> adminView(long id) {
        return Panache.withSession(() -> Product.<Product>findById(id)
                .onItem()
                .ifNull()
                .failWith(() -> Refusal.notFound("No product " + id))
                .chain(this::detailOf));
    }

    /** Public detail (cached), counted as a view for "popular". Retired products are not found. */
    public Uni<CatalogCache.Page> publicDetail(long id) {
        return cache.product(
                        id,
                        () -> Panache.withSession(() -> Product.<Product>findById(id)
                                .chain(product -> product == null || !product.isActive()
                                        ? Uni.createFrom().nullItem()
                                        : detailOf(product))))
                .onItem()
                .ifNull()
                .failWith(() -> Refusal.notFound("No product " + id))
                .invoke(() -> popularity.viewed(id));
    }

    public Uni<List<CategoryNode>> categories() {
        return Panache.withSession(() -> Category.<Category>listAll(Sort.by("path")))
                .map(CatalogMapper::tree);
    }

    // ------------------------------------------------------------------------------------------------

    private Uni<ProductDetail> detailOf(Product product) {
        return ProductOption.ofProducts(List.of(product.id))
                .chain(options -> SkuAvailability.of(
                                options.stream().map(o -> o.sku).toList())
                        .chain(available -> Category.<Category>findById(product.categoryId)
                                .map(category -> CatalogMapper.toDetail(product, category, options, available))));
    }

    private Uni<Void> addOptions(Product product, List<OptionRequest> requests) {
        List<ProductOption> options = new ArrayList<>();
        for (OptionRequest request : requests) {
            ProductOption option = new ProductOption();
            option.productId = product.id;
            option.sku = request.sku();
            option.size = request.size();
            option.color = request.color();
            option.createdAt = Instant.now();
            options.add(option);
        }
        if (options.isEmpty()) {
            return Uni.createFrom()
                    .voidItem(); // "addOptions": [] adds nothing (Panache refuses to persist an empty list)
        }
        return ProductOption.persist(options)
                .chain(() -> Multi.createFrom()
                        .iterable(requests)
                        .onItem()
                        .transformToUniAndConcatenate(
                                r -> adjustments.record(r.sku(), r.initialStock(), "initial stock", null))
                        .collect()
                        .last())
                .replaceWithVoid();
    }

    private static Uni<Void> requireCategory(Long categoryId) {
        return Category.findById(categoryId)
                .invoke(category -> {
                    if (category == null) {
                        throw Refusal.invalid("categoryId", "No category " + categoryId);
                    }
                })
                .replaceWithVoid();
    }

    private static Uni<Void> requireNewSkus(List<OptionRequest> options) {
        if (options.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Set<String> skus = new HashSet<>();
        for (OptionRequest option : options) {
            if (!skus.add(option.sku())) {
                return Uni.createFrom().failure(Refusal.invalid("options", "SKU " + option.sku() + " appears twice"));
            }
        }
        return ProductOption.<ProductOption>list("sku in ?1", skus)
                .invoke(existing -> {
                    if (!existing.isEmpty()) {
                        throw Refusal.conflict(
                                "SKU already in use: " + existing.get(0).sku, Map.of("sku", existing.get(0).sku));
                    }
                })
                .replaceWithVoid();
    }
}
