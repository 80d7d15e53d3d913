package com.sansam.stock;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks over JDBC that the stock ledger explains every SKU's stock exactly. */
public final class Ledger {

    private Ledger() {
    }

    public static void assertStock(String sku, int available, int reserved) {
        try (Connection connection = connect();
             var query = connection.prepareStatement("select available, reserved from stock_item where sku = ?")) {
            query.setString(1, sku);
            try (ResultSet rows = query.executeQuery()) {
                assertEquals(true, rows.next(), "stock item " + sku);
                assertEquals(available, rows.getInt(1), "available of " + sku);
                assertEquals(reserved, rows.getInt(2), "reserved of " + sku);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect() throws SQLException {
        String url = "jdbc:" + System.getenv().getOrDefault("DB_TEST_URL", "postgresql://127.0.0.1:5432/sansam_stock_test");
        return DriverManager.getConnection(url, System.getenv().getOrDefault("DB_USER", "postgres"),
                System.getenv().getOrDefault("DB_PASSWORD", ""));
    }

    public static void assertBalanced() {
        try (Connection connection = connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     select count(*) from stock_item s
                     left join (select sku, sum(available_delta) a, sum(reserved_delta) r from stock_movement group by sku) m
                            on m.sku = s.sku
                     where s.available <> coalesce(m.a, 0) or s.reserved <> coalesce(m.r, 0)""")) {
            rows.next();
            assertEquals(0, rows.getInt(1), "SKUs whose stock the ledger does not explain");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
