package com.sansam.commerce.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.commerce.catalog.service.StockGate;
import com.sansam.commerce.catalog.service.StockGate.Level;
import com.sansam.commerce.catalog.service.StockGate.Update;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The stock gate against the real Redis: orders are admitted while the units they ask for are not spoken for, and
 * every way a claim ends (decision, StockChanged naming the order even when stale, failure, expiry) frees its units.
 */
@QuarkusTest
class StockGateTest {

    @Inject
    StockGate gate;

    @Inject
    RedisDataSource redis;

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static String newSku() {
        return "GATE-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private StockGate.Admission admit(String order, String sku, int units) {
        return gate.admit(order, Map.of(sku, units)).await().atMost(WAIT);
    }

    private void record(Update... updates) {
        gate.record(List.of(updates)).await().atMost(WAIT);
    }

    private Map<String, String> state(String sku) {
        return redis.hash(String.class).hgetall(StockGate.key(sku));
    }

    @Test
    void aSkuTheGateKnowsNothingOfIsAdmittedAndReportedUnknownWithoutAClaim() {
        String sku = newSku();
        StockGate.Admission admission = admit("ORD-A", sku, 1);
        assertFalse(admission.refused());
        assertEquals(List.of(sku), admission.unknown());
        assertTrue(state(sku).isEmpty(), "no claim on a SKU the gate does not know");

        // What placing read from the database teaches it; a later read does not overrule news of stock
        record(Update.read(sku, new Level(2, 7)));
        record(Update.read(sku, new Level(9, 8)));
        assertEquals("2", state(sku).get("a"));
        // ...except to say zero
        record(Update.read(sku, new Level(0, 9)));
        assertEquals("0", state(sku).get("a"));
        assertTrue(
                redis.key().ttl(StockGate.key(sku)) <= 30,
                "a SKU at zero is forgotten within the sold-out mark's life");
    }

    @Test
    void unitsClaimedByOrdersBeingDecidedAreNotAdmittedTwice() {
        String sku = newSku();
        record(Update.changed(sku, new Level(3, 5), List.of()));

        assertFalse(admit("ORD-A", sku, 2).refused());
        StockGate.Admission refused = admit("ORD-B", sku, 2);
        assertTrue(refused.refused(), "A holds 2 of 3");
        assertEquals(sku, refused.refusedSku());
        assertEquals(3, refused.available());
        assertFalse(admit("ORD-C", sku, 1).refused(), "the third unit is free");
        assertTrue(admit("ORD-D", sku, 1).refused());
        assertEquals("3", state(sku).get("h"));

        // C's placing failed: its unit is free again
        gate.release("ORD-C", List.of(sku)).await().atMost(WAIT);
        assertFalse(admit("ORD-D", sku, 1).refused());

        // The stock-worker reserved A and D (StockChanged naming them): availability 1, nothing held
        record(Update.changed(sku, new Level(1, 6), List.of("ORD-A", "ORD-D")));
        assertEquals("0", state(sku).get("h"));
        assertFalse(admit("ORD-E", sku, 1).refused());
        assertTrue(admit("ORD-F", sku, 1).refused());

        // E is rejected for another SKU of its order: its unit is free at once
        record(Update.decided(sku, List.of("ORD-E")));
        assertFalse(admit("ORD-F", sku, 1).refused());

        // Stale news (an older version) changes no level, but still ends the claims of the orders it names
        record(Update.changed(sku, new Level(50, 4), List.of("ORD-F")));
        assertEquals("1", state(sku).get("a"));
        assertEquals("0", state(sku).get("h"));
        assertNull(state(sku).get("o:ORD-F"));
    }

    @Test
    void aSoldOutSkuIsRefusedAndAClaimWhoseDecisionNeverCameExpires() {
        String sku = newSku();
        record(Update.changed(sku, new Level(0, 3), List.of()));
        StockGate.Admission refused = admit("ORD-A", sku, 1);
        assertTrue(refused.refused());
        assertEquals(0, refused.available());

        // Restocked with one unit; an order claimed it, and its placing process died before it committed
        record(Update.changed(sku, new Level(1, 4), List.of()));
        redis.hash(String.class)
                .hset(StockGate.key(sku), Map.of("o:ORD-LOST", "1:" + (System.currentTimeMillis() - 1), "h", "1"));
        assertFalse(admit("ORD-B", sku, 1).refused(), "an expired claim holds nothing");
        assertNull(state(sku).get("o:ORD-LOST"), "and is cleared");
        assertEquals("1", state(sku).get("h"));
    }

    /**
     * A burst: 3,000 orders for 100 units at once, then the 100 reservations' news all at once and out of order
     * (each StockChanged names its order and carries its version), while the other 2,900 orders' claims never
     * existed. The gate admits exactly 100 and ends where the stock-worker ended: no unit left, no claim held.
     */
    @Test
    void underABurstTheGateAdmitsExactlyAndConvergesToTheLastNews() {
        String sku = newSku();
        int units = 100;
        record(Update.changed(sku, new Level(units, 1), List.of()));

        List<io.smallrye.mutiny.Uni<StockGate.Admission>> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            burst.add(gate.admit("BURST-" + i, Map.of(sku, 1)));
        }
        List<String> admitted = new java.util.ArrayList<>();
        List<StockGate.Admission> answers =
                io.smallrye.mutiny.Uni.join().all(burst).andFailFast().await().atMost(Duration.ofSeconds(60));
        for (int i = 0; i < answers.size(); i++) {
            if (!answers.get(i).refused()) {
                admitted.add("BURST-" + i);
            }
        }
        assertEquals(units, admitted.size(), "admitted exactly the units");
        assertEquals(String.valueOf(units), state(sku).get("h"));

        // the reservations' news, shuffled: version 2 took the first unit, ..., version 101 the last
        List<Integer> order = new java.util.ArrayList<>(
                java.util.stream.IntStream.range(0, units).boxed().toList());
        java.util.Collections.shuffle(order, new java.util.Random(7));
        List<io.smallrye.mutiny.Uni<Void>> news = new java.util.ArrayList<>();
        for (int k : order) {
            news.add(gate.record(
                    List.of(Update.changed(sku, new Level(units - 1 - k, k + 2), List.of(admitted.get(k))))));
        }
        io.smallrye.mutiny.Uni.join().all(news).andFailFast().await().atMost(Duration.ofSeconds(60));

        Map<String, String> state = state(sku);
        assertEquals("0", state.get("a"), state.toString());
        assertEquals(String.valueOf(units + 1), state.get("v"), state.toString());
        assertEquals("0", state.get("h"), state.toString());
        assertTrue(state.keySet().stream().noneMatch(field -> field.startsWith("o:")), state.toString());
        assertTrue(admit("AFTER", sku, 1).refused(), "sold out after the burst");
    }
}
