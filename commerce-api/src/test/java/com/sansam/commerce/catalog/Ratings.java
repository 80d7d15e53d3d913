package com.sansam.commerce.catalog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Test setup for rating order until reviews exist: writes the aggregate columns directly. */
final class Ratings {

    private Ratings() {
    }

    static void set(long productId, long sum, long count) {
        String url = "jdbc:" + System.getenv().getOrDefault("DB_TEST_URL", "postgresql://127.0.0.1:5432/sansam_commerce_test");
        try (Connection connection = DriverManager.getConnection(url, System.getenv().getOrDefault("DB_USER", "postgres"),
                System.getenv().getOrDefault("DB_PASSWORD", ""));
             PreparedStatement update = connection.prepareStatement(
                     "update product set rating_sum = ?, rating_count = ? where id = ?")) {
            update.setLong(1, sum);
            update.setLong(2, count);
            update.setLong(3, productId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
