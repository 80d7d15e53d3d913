package com.sansam.commerce.catalog.model;

public enum ProductStatus {
    /** Listed and sellable. */
    ACTIVE,
    /** Hidden from listings and carts; kept for existing orders and reviews. */
    RETIRED
}
