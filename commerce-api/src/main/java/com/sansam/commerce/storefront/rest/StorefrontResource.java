package com.sansam.commerce.storefront.rest;

import com.sansam.commerce.storefront.config.StorefrontConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the storefront (served at / by this service) needs to know beyond the API itself. */
@Path("/api/v1/storefront")
@Tag(name = "Storefront")
@Produces(MediaType.APPLICATION_JSON)
public class StorefrontResource {

    public record StorefrontSettings(String paymentPageUrl, String chatUrl) {}

    private final StorefrontConfig config;

    public StorefrontResource(StorefrontConfig config) {
        this.config = config;
    }

    @GET
    @Path("/config")
    public StorefrontSettings config() {
        return new StorefrontSettings(config.paymentPageUrl(), config.chatUrl().orElse(""));
    }
}
