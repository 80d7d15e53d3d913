package com.sansam.commerce.catalog;

import com.sansam.commerce.support.TestDatabases;

/** Test setup for rating order until reviews exist: writes the aggregate columns directly. */
final class Ratings {

    private Ratings() {}

    static void set(long productId, long sum, long count) {
        TestDatabases.updateCommerce(
                "update product set rating_sum = ?, rating_count = ? where id = ?", sum, count, productId);
    }
}
