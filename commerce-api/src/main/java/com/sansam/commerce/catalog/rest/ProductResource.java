package com.sansam.commerce.catalog.rest;

import com.sansam.commerce.catalog.config.CatalogConfig;
import com.sansam.commerce.catalog.model.CatalogDtos.CategoryNode;
import com.sansam.commerce.catalog.model.CatalogDtos.ProductDetail;
import com.sansam.commerce.catalog.model.CatalogDtos.ProductPage;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Browsing: anyone, no login. Every answer carries an ETag (a digest of its bytes) and {@code Cache-Control}; a
 * request whose {@code If-None-Match} matches is answered {@code 304} without a body. Answers come from the catalogue
 * cache ({@link CatalogCache}) as the JSON they are sent as.
 */
@Path("/api/v1")
@PermitAll
@Tag(name = "Catalogue")
@Produces(MediaType.APPLICATION_JSON)
public class ProductResource {

    private final CatalogService catalog;
    private final ProductSearch search;
    private final CatalogCache cache;
    private final String cacheControl;

    public ProductResource(CatalogService catalog, ProductSearch search, CatalogCache cache, CatalogConfig config) {
        this.catalog = catalog;
        this.search = search;
        this.cache = cache;
        this.cacheControl = "public, max-age=" + config.httpMaxAge().toSeconds() + ", must-revalidate";
    }

    @GET
    @Path("/products")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ProductPage.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag in If-None-Match")
    public Uni<Response> list(
            @QueryParam("q") @Size(max = 100) String q,
            @QueryParam("category") @Size(max = 50) String category,
            @QueryParam("brand") @Size(max = 60) String brand,
            @QueryParam("minPrice") @PositiveOrZero Long minPrice,
            @QueryParam("maxPrice") @PositiveOrZero Long maxPrice,
            @QueryParam("inStock") @DefaultValue("false") boolean inStock,
            @QueryParam("sort") String sort,
            @QueryParam("cursor") @Size(max = 200) String cursor,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size,
            @Context Request request) {
        ProductSearch.Query query = new ProductSearch.Query(
                q, category, brand, minPrice, maxPrice, inStock, ProductSearch.Sort.parse(sort), cursor, size);
        return cache.listing(query.cacheKey(), !query.isCacheableFirstPage(), () -> search.search(query))
                .map(page -> answer(request, page));
    }

    @GET
    @Path("/products/{id}")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ProductDetail.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag in If-None-Match")
    public Uni<Response> detail(@PathParam("id") long id, @Context Request request) {
        return catalog.publicDetail(id).map(page -> answer(request, page));
    }

    @GET
    @Path("/categories")
    @APIResponse(
            responseCode = "200",
            content = @Content(schema = @Schema(implementation = CategoryNode.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag in If-None-Match")
    public Uni<Response> categories(@Context Request request) {
        return catalog.categories().map(cache::page).map(page -> answer(request, page));
    }

    /** 304 when the client holds this very answer, otherwise the answer; both with ETag and Cache-Control. */
    private Response answer(Request request, CatalogCache.Page page) {
        EntityTag tag = new EntityTag(page.etag(), true);
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        Response.ResponseBuilder builder =
                notModified != null ? notModified : Response.ok(page.json(), MediaType.APPLICATION_JSON_TYPE);
        return builder.tag(tag).header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
    }
}
