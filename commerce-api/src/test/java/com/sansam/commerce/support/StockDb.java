package com.sansam.commerce.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The real stock-worker's database ({@code sansam_e2e_stock}), read and nudged over JDBC by tests. */
public final class StockDb {

    private StockDb() {}

    /** Moves a held reservation's expiry into the past, as if the unpaid order's time had run out. */
    public static void expireNow(String orderId) {
        assertEquals(
                1,
                update(
                        "update reservation set expires_at = now() - interval '1 second' where order_id = ? and status = 'HELD'",
                        orderId),
                "held reservation of " + orderId);
    }

    /** How many ledger movements of this kind the SKU has. */
    public static int movements(String sku, String kind) {
        return count("select count(*) from stock_movement where sku = ? and kind = ?", sku, kind);
    }

    /** The stock-worker's outbox rows of this message type about this aggregate (a SKU, an order). */
    public static int outboxMessages(String type, String aggregateId) {
        return count("select count(*) from outbox where routing_key = ? and aggregate_id = ?", type, aggregateId);
    }

    /** Dead letters not replayed whose body contains {@code fragment}. */
    public static int deadLetters(String fragment) {
        return count("select count(*) from dead_letter where replayed_at is null and strpos(body, ?) > 0", fragment);
    }

    public static void assertLedgerBalanced() {
        assertEquals(0, count("""
                select count(*) from stock_item s
                left join (select sku, sum(available_delta) a, sum(reserved_delta) r from stock_movement group by sku) m
                       on m.sku = s.sku
                where s.available <> coalesce(m.a, 0) or s.reserved <> coalesce(m.r, 0)"""), "SKUs whose stock the ledger does not explain");
    }

    private static int count(String sql, String... parameters) {
        try (Connection connection = connect();
                var query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int update(String sql, String parameter) {
        try (Connection connection = connect();
                var statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect() throws SQLException {
        return TestDatabases.stock();
    }
}
