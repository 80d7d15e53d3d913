package com.sansam.commerce.catalog.mapping;

import com.sansam.commerce.catalog.model.CatalogDtos.AdjustmentView;
import com.sansam.commerce.catalog.model.CatalogDtos.CategoryNode;
import com.sansam.commerce.catalog.model.CatalogDtos.CategoryRef;
import com.sansam.commerce.catalog.model.CatalogDtos.OptionView;
import com.sansam.commerce.catalog.model.CatalogDtos.ProductDetail;
import com.sansam.commerce.catalog.model.Category;
import com.sansam.commerce.catalog.model.Product;
import com.sansam.commerce.catalog.model.ProductOption;
import com.sansam.commerce.catalog.model.StockAdjustmentRecord;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class CatalogMapper {

    private CatalogMapper() {}

    public static ProductDetail toDetail(
            Product product, Category category, List<ProductOption> options, Map<String, Integer> available) {
        List<OptionView> views = options.stream()
                .map(o -> {
                    int units = available.getOrDefault(o.sku, 0);
                    return new OptionView(o.sku, o.size, o.color, units, units > 0);
                })
                .toList();
        return new ProductDetail(
                product.id,
                product.name,
                product.brand,
                category == null ? null : new CategoryRef(category.id, category.name, category.slug),
                product.price,
                product.description,
                product.imageUrls,
                views,
                product.ratingAvg == null ? BigDecimal.ZERO : product.ratingAvg,
                product.ratingCount,
                product.wishlistCount,
                product.status,
                product.createdAt);
    }

    /** Builds the tree from categories sorted by path (parents before children). */
    public static List<CategoryNode> tree(List<Category> sortedByPath) {
        Map<Long, List<CategoryNode>> children = new LinkedHashMap<>();
        for (Category category : sortedByPath) {
            children.put(category.id, new ArrayList<>());
        }
        List<CategoryNode> roots = new ArrayList<>();
        for (Category category : sortedByPath) {
            CategoryNode node = new CategoryNode(category.id, category.name, category.slug, children.get(category.id));
            if (category.parentId == null || !children.containsKey(category.parentId)) {
                roots.add(node);
            } else {
                children.get(category.parentId).add(node);
            }
        }
        return roots;
    }

    public static AdjustmentView toView(StockAdjustmentRecord adjustment) {
        return new AdjustmentView(
                adjustment.id,
                adjustment.sku,
                adjustment.delta,
                adjustment.reason,
                adjustment.outcome.name(),
                adjustment.available,
                adjustment.refusal,
                adjustment.requestedAt,
                adjustment.decidedAt);
    }
}
