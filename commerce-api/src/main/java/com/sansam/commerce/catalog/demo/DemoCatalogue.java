package com.sansam.commerce.catalog.demo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sansam.commerce.catalog.config.CatalogConfig;
import com.sansam.commerce.catalog.model.CatalogDtos.ProductRequest;
import com.sansam.commerce.catalog.model.Product;
import com.sansam.commerce.catalog.service.CatalogService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.InputStream;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Loads the demo catalogue (65 products, 10 brands, every category, with options and stock) when enabled
 * (DEMO_CATALOGUE=true, set by the local run script) and the catalogue is empty. Products go through the
 * normal registration, so their initial stock reaches the stock-worker as AdjustStock commands.
 */
@ApplicationScoped
public class DemoCatalogue {

    private static final Logger LOG = Logger.getLogger(DemoCatalogue.class);

    void onStart(@Observes StartupEvent event, CatalogConfig config, CatalogService catalog, ObjectMapper json)
            throws Throwable {
        if (!config.demo()) {
            return;
        }
        long existing = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Product.count()));
        if (existing > 0) {
            LOG.infof("Catalogue has %d products: demo catalogue not loaded", existing);
            return;
        }
        List<ProductRequest> products;
        try (InputStream in = DemoCatalogue.class.getResourceAsStream("/demo/catalogue.json")) {
            products = json.readValue(in, new TypeReference<>() {});
        }
        VertxContextSupport.subscribeAndAwait(() -> Multi.createFrom()
                .iterable(products)
                .onItem()
                .transformToUniAndConcatenate(catalog::register)
                .collect()
                .asList());
        LOG.infof("Loaded the demo catalogue: %d products", products.size());
    }
}
