package com.sansam.commerce.operations;

import static com.sansam.commerce.support.Api.adminSession;
import static com.sansam.commerce.support.Api.newUserSession;
import static com.sansam.commerce.support.Orders.awaitStock;
import static com.sansam.commerce.support.Orders.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.commerce.support.Catalog;
import com.sansam.commerce.support.Catalog.Created;
import com.sansam.commerce.support.Orders;
import com.sansam.runtime.testing.TestOtlpReceiver;
import com.sansam.runtime.testing.TestOtlpReceiver.ExportedSpan;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One order is one trace across the services: commerce-api and the stock-worker process export their spans to a real
 * OTLP receiver, and the spans of placing, reserving, paying and committing one order share a trace id, each hop a
 * child of the one that caused it (HTTP request → outbox publish → stock-worker → its publish → commerce-api).
 */
@QuarkusTest
class TraceTest {

    @Test
    void placingAndPayingAnOrderIsOneTraceAcrossCommerceApiAndTheStockWorker() {
        String admin = adminSession();
        Created scarf = Catalog.product(admin, Catalog.uniqueBrand(), "트레이스 스카프", 120_000, 13, "", 1, 5);
        awaitStock(admin, scarf.sku(), 5, 0);
        String orderId = Orders.paid(newUserSession(), scarf.sku(), 1, 120_000); // placed, reserved, paid
        awaitStock(admin, scarf.sku(), 4, 0); // committed by the stock-worker

        String aggregate = "order/" + orderId;
        ExportedSpan reserve = TestOtlpReceiver.awaitSpan(s -> s.service().equals("stock-worker")
                && s.kind().equals("SPAN_KIND_CONSUMER")
                && aggregate.equals(s.attributes().get("sansam.aggregate"))
                && "ReserveStock".equals(s.attributes().get("messaging.rabbitmq.destination.routing_key")));
        String traceId = reserve.traceId();

        // placement: the HTTP request is the root, its outbox message is published in a child of it
        ExportedSpan post = TestOtlpReceiver.awaitInTrace(
                traceId,
                s -> s.service().equals("commerce-api")
                        && s.kind().equals("SPAN_KIND_SERVER")
                        && s.name().equals("POST /api/v1/orders"));
        assertTrue(post.parentSpanId().isEmpty(), "the order's POST starts the trace");
        ExportedSpan reservePublish = parentOf(reserve);
        assertEquals("commerce-api", reservePublish.service());
        assertEquals("SPAN_KIND_PRODUCER", reservePublish.kind());
        assertEquals("sansam.stock.commands publish", reservePublish.name());
        assertTrue(descendsFrom(reservePublish, post), "the ReserveStock publish descends from the POST");
        ExportedSpan database = TestOtlpReceiver.awaitInTrace(
                traceId,
                s -> s.service().equals("commerce-api")
                        && s.kind().equals("SPAN_KIND_CLIENT")
                        && s.attributes().containsKey("db.statement")
                        && s.attributes()
                                .getOrDefault("db.connection_string", "")
                                .endsWith(":5432"));
        assertTrue(descendsFrom(database, post), "the placement's SQL runs inside the POST");
        TestOtlpReceiver.awaitInTrace(
                traceId,
                s -> s.kind().equals("SPAN_KIND_CLIENT")
                        && "redis".equals(s.attributes().get("db.system")));

        // reservation: the stock-worker publishes StockReserved inside its consumer span; commerce-api takes it up
        ExportedSpan reservedPublish = TestOtlpReceiver.awaitInTrace(
                traceId,
                s -> s.service().equals("stock-worker")
                        && s.kind().equals("SPAN_KIND_PRODUCER")
                        && aggregate.equals(s.attributes().get("sansam.aggregate"))
                        && s.parentSpanId().equals(reserve.spanId()));
        ExportedSpan reservedHandled = TestOtlpReceiver.awaitInTrace(
                traceId,
                s -> s.service().equals("commerce-api")
                        && s.kind().equals("SPAN_KIND_CONSUMER")
                        && s.parentSpanId().equals(reservedPublish.spanId()));
        assertEquals("stock-events process", reservedHandled.name());

        // payment: a later request, continued in the order's trace (linked to the request's own trace)
        ExportedSpan payment = TestOtlpReceiver.awaitInTrace(
                traceId, s -> s.service().equals("commerce-api") && s.name().equals("order payment"));
        ExportedSpan paymentRequest = TestOtlpReceiver.awaitSpan(s -> s.kind().equals("SPAN_KIND_SERVER")
                && s.name().equals("POST /api/v1/orders/{orderId}/payment")
                && payment.links().contains(s.spanId()));
        ExportedSpan commit = TestOtlpReceiver.awaitInTrace(
                traceId,
                s -> s.service().equals("stock-worker")
                        && s.kind().equals("SPAN_KIND_CONSUMER")
                        && "CommitReservation"
                                .equals(s.attributes().get("messaging.rabbitmq.destination.routing_key")));
        assertTrue(descendsFrom(commit, payment), "the stock commit descends from the payment");
        ExportedSpan email = TestOtlpReceiver.awaitInTrace(
                traceId,
                s -> s.name().equals("email-outbox process")
                        && "payment-completed".equals(s.attributes().get("sansam.email.template")));
        assertTrue(descendsFrom(email, payment), "the payment's email is sent in the order's trace");
        assertTrue(paymentRequest.startNanos() <= payment.startNanos());

        // causal order in time along the chain
        List<ExportedSpan> chain =
                List.of(post, reservePublish, reserve, reservedPublish, reservedHandled, payment, commit);
        for (int i = 1; i < chain.size(); i++) {
            assertTrue(
                    chain.get(i - 1).startNanos() <= chain.get(i).startNanos(),
                    chain.get(i - 1).name() + " starts before " + chain.get(i).name() + "\n"
                            + TestOtlpReceiver.describe(traceId));
        }
        assertFalse(TestOtlpReceiver.trace(traceId).stream()
                        .map(ExportedSpan::service)
                        .distinct()
                        .toList()
                        .size()
                < 2);
    }

    @Test
    void theOrderMetersTheDashboardReadsAreExported() {
        String admin = adminSession();
        Created bag = Catalog.product(admin, Catalog.uniqueBrand(), "미터 토트백", 50_000, 2, "", 1, 2);
        awaitStock(admin, bag.sku(), 2, 0);
        Orders.reserved(newUserSession(), List.of(line(bag.sku(), 1, 50_000)));
        String metrics = io.restassured.RestAssured.get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        for (String expected : List.of(
                "sansam_orders_status_total{status=\"PENDING\"}",
                "sansam_orders_status_total{status=\"STOCK_RESERVED\"}",
                "sansam_order_placement_seconds_bucket{",
                "sansam_order_decision_seconds_bucket{status=\"STOCK_RESERVED\"",
                "sansam_outbox_lag_seconds",
                "sansam_messages_dead_lettered_total",
                "sansam_consumer_up")) {
            assertTrue(metrics.contains(expected), "/q/metrics exports " + expected);
        }
    }

    private static ExportedSpan parentOf(ExportedSpan span) {
        return TestOtlpReceiver.awaitInTrace(span.traceId(), s -> s.spanId().equals(span.parentSpanId()));
    }

    private static boolean descendsFrom(ExportedSpan span, ExportedSpan ancestor) {
        Map<String, ExportedSpan> byId = TestOtlpReceiver.trace(span.traceId()).stream()
                .collect(Collectors.toMap(ExportedSpan::spanId, s -> s, (a, b) -> a));
        for (ExportedSpan at = span; at != null; at = byId.get(at.parentSpanId())) {
            if (at.spanId().equals(ancestor.spanId())) {
                return true;
            }
        }
        return false;
    }
}
