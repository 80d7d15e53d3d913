package com.sansam.commerce.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** JDBC connections to the databases commerce-api's tests run against: its own and the real stock-worker's. */
public final class TestDatabases {

    private TestDatabases() {}

    public static Connection commerce() throws SQLException {
        return connect(System.getenv().getOrDefault("DB_TEST_URL", "postgresql://127.0.0.1:5432/sansam_commerce_test"));
    }

    public static Connection stock() throws SQLException {
        return connect(
                System.getenv().getOrDefault("DB_E2E_STOCK_URL", "postgresql://127.0.0.1:5432/sansam_e2e_stock"));
    }

    /** Runs one statement with these parameters on commerce-api's database; answers the rows it changed. */
    public static int updateCommerce(String sql, Object... parameters) {
        try (Connection connection = commerce();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:" + url,
                System.getenv().getOrDefault("DB_USER", "postgres"),
                System.getenv().getOrDefault("DB_PASSWORD", ""));
    }
}
