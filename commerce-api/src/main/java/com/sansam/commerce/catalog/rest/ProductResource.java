package com.sansam.commerce.catalog.rest;

import com.sansam.commerce.catalog.rest.CatalogDtos.CategoryNode;
import com.sansam.commerce.catalog.rest.CatalogDtos.ProductDetail;
import com.sansam.commerce.catalog.rest.CatalogDtos.ProductPage;
import com.sansam.commerce.catalog.service.CatalogCache;
import com.sansam.commerce.catalog.service.CatalogService;
import com.sansam.commerce.catalog.service.ProductSearch;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Browsing: anyone, no login. */
@Path("/api/v1")
@PermitAll
@Tag(name = "Catalogue")
@Produces(MediaType.APPLICATION_JSON)
public class ProductResource {

    private final CatalogService catalog;
    private final ProductSearch search;
    private final CatalogCache cache;

    public ProductResource(CatalogService catalog, ProductSearch search, CatalogCache cache) {
        this.catalog = catalog;
        this.search = search;
        this.cache = cache;
    }

    @GET
    @Path("/products")
    public Uni<ProductPage> list(@QueryParam("q") @Size(max = 100) String q,
                                 @QueryParam("category") @Size(max = 50) String category,
                                 @QueryParam("brand") @Size(max = 60) String brand,
                                 @QueryParam("minPrice") @PositiveOrZero Long minPrice,
                                 @QueryParam("maxPrice") @PositiveOrZero Long maxPrice,
                                 @QueryParam("inStock") @DefaultValue("false") boolean inStock,
                                 @QueryParam("sort") String sort,
                                 @QueryParam("cursor") @Size(max = 200) String cursor,
                                 @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        ProductSearch.Query query = new ProductSearch.Query(q, category, brand, minPrice, maxPrice, inStock,
                ProductSearch.Sort.parse(sort), cursor, size);
        if (query.isCacheableFirstPage()) {
            String key = (category == null ? "all" : category.trim()) + ":" + query.sort() + ":" + size;
            return cache.listing(key, ProductPage.class, () -> search.search(query));
        }
        return search.search(query);
    }

    @GET
    @Path("/products/{id}")
    public Uni<ProductDetail> detail(@PathParam("id") long id) {
        return catalog.publicDetail(id);
    }

    @GET
    @Path("/categories")
    public Uni<List<CategoryNode>> categories() {
        return catalog.categories();
    }
}
