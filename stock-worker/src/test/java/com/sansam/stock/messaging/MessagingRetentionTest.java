package com.sansam.stock.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.runtime.inbox.MessagingRetention;
import com.sansam.runtime.testing.BrokerRestarts;
import com.sansam.runtime.testing.CleanRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Sent outbox rows and inbox ids past their retention are deleted; unsent rows and recent ids never are. */
@QuarkusTest
@QuarkusTestResource(value = CleanRedis.class, restrictToAnnotatedClass = false)
class MessagingRetentionTest {

    @Inject
    MessagingRetention retention;

    @Test
    void onlyWhatIsPastItsRetentionGoes() throws Exception {
        UUID oldSent = UUID.randomUUID();
        UUID oldUnsent = UUID.randomUUID();
        UUID recentSent = UUID.randomUUID();
        UUID oldId = UUID.randomUUID();
        UUID recentId = UUID.randomUUID();
        try (Connection db = BrokerRestarts.database()) {
            outboxRow(db, oldSent, "now() - interval '30 days'", "now() - interval '30 days'");
            outboxRow(db, oldUnsent, "now() - interval '30 days'", null);
            outboxRow(db, recentSent, "now()", "now()");
            inboxRow(db, oldId, "now() - interval '30 days'");
            inboxRow(db, recentId, "now()");
        }

        assertTrue(retention.prune().await().atMost(Duration.ofSeconds(20)) >= 2);

        try (Connection db = BrokerRestarts.database()) {
            assertEquals(0, count(db, "select count(*) from outbox where message_id = ?", oldSent), "old sent row");
            assertEquals(
                    1,
                    count(db, "select count(*) from outbox where message_id = ?", oldUnsent),
                    "an unsent row is never pruned");
            assertEquals(
                    1, count(db, "select count(*) from outbox where message_id = ?", recentSent), "recent sent row");
            assertEquals(0, count(db, "select count(*) from inbox where message_id = ?", oldId), "old inbox id");
            assertEquals(1, count(db, "select count(*) from inbox where message_id = ?", recentId), "recent inbox id");
        }
        String metrics = RestAssured.given()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(metrics.contains("sansam_messaging_table_rows{table=\"outbox\"}"), "table size metric");
    }

    private static void outboxRow(Connection db, UUID id, String createdAt, String sentAt) throws Exception {
        try (PreparedStatement insert =
                db.prepareStatement("""
                insert into outbox (message_id, exchange, routing_key, aggregate_type, aggregate_id, body, created_at, sent_at,
                                    next_attempt_at)
                values (?, 'sansam.retention.test', 'Test', 'test', ?, '{}', %s, %s, now() + interval '1 day')""".formatted(createdAt, sentAt == null ? "null" : sentAt))) {
            insert.setObject(1, id);
            insert.setString(2, id.toString());
            insert.executeUpdate();
        }
    }

    private static void inboxRow(Connection db, UUID id, String processedAt) throws Exception {
        try (PreparedStatement insert = db.prepareStatement(
                "insert into inbox (message_id, consumer, processed_at) values (?, 'retention-test', %s)"
                        .formatted(processedAt))) {
            insert.setObject(1, id);
            insert.executeUpdate();
        }
    }

    private static int count(Connection db, String query, UUID id) throws Exception {
        try (PreparedStatement select = db.prepareStatement(query)) {
            select.setObject(1, id);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
