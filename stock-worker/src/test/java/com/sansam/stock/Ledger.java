package com.sansam.stock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Checks over JDBC that the stock ledger explains every SKU's stock exactly. */
public final class Ledger {

    private Ledger() {}

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
        String url =
                "jdbc:" + System.getenv().getOrDefault("DB_TEST_URL", "postgresql://127.0.0.1:5432/sansam_stock_test");
        return DriverManager.getConnection(
                url,
                System.getenv().getOrDefault("DB_USER", "postgres"),
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

    /** Moves a held reservation's expiry into the past, as if its time had run out. */
    public static void expireNow(String orderId) {
        try (Connection connection = connect();
                var update = connection.prepareStatement(
                        "update reservation set expires_at = now() - interval '1 second' where order_id = ?")) {
            update.setString(1, orderId);
            assertEquals(1, update.executeUpdate(), "reservation of " + orderId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many ledger movements of this kind the SKU has. */
    public static int movements(String sku, String kind) {
        return count("select count(*) from stock_movement where sku = ? and kind = ?", sku, kind);
    }

    /** Dead letters not replayed whose body contains {@code fragment}. */
    public static int deadLetters(String fragment) {
        return count("select count(*) from dead_letter where replayed_at is null and strpos(body, ?) > 0", fragment);
    }

    /** Stores a dead letter as the inbox would have after {@code attempts} failed tries; answers its id. */
    public static long insertDeadLetter(
            String channel, com.sansam.messages.Envelope envelope, String error, int attempts) {
        try (Connection connection = connect();
                var insert = connection.prepareStatement("""
                     insert into dead_letter (message_id, channel, type, body, error, attempts, created_at)
                     values (?, ?, ?, ?, ?, ?, now()) returning id""")) {
            insert.setObject(1, envelope.messageId());
            insert.setString(2, channel);
            insert.setString(3, envelope.type());
            insert.setString(4, com.sansam.messages.Messages.toJson(envelope));
            insert.setString(5, error);
            insert.setInt(6, attempts);
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
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
}
