package com.sansam.runtime.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SettledTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void answersEveryOutcomeInTheOrderGiven() {
        IllegalStateException refused = new IllegalStateException("refused");
        List<Object> outcomes = Settled.all(List.of(
                        Uni.createFrom().item("a").onItem().delayIt().by(Duration.ofMillis(50)),
                        Uni.createFrom().failure(refused),
                        Uni.createFrom().item(3)))
                .await()
                .atMost(WAIT);
        assertEquals("a", outcomes.get(0));
        assertSame(refused, outcomes.get(1));
        assertEquals(3, outcomes.get(2));
    }

    @Test
    void theFirstFailureInListOrderCountsEvenWhenALaterOneFailedSooner() {
        IllegalArgumentException first = new IllegalArgumentException("first in the list");
        IllegalStateException sooner = new IllegalStateException("sooner in time");
        AtomicBoolean slowOneEnded = new AtomicBoolean();
        Uni<List<Object>> all = Settled.all(List.of(
                        Uni.createFrom()
                                .<String>failure(first)
                                .onFailure()
                                .call(() -> Uni.createFrom()
                                        .voidItem()
                                        .onItem()
                                        .delayIt()
                                        .by(Duration.ofMillis(50)))
                                .onTermination()
                                .invoke(() -> slowOneEnded.set(true)),
                        Uni.createFrom().failure(sooner)))
                .map(Settled::orFirstFailure);
        IllegalArgumentException thrown =
                assertThrows(IllegalArgumentException.class, () -> all.await().atMost(WAIT));
        assertSame(first, thrown);
        assertTrue(slowOneEnded.get(), "nothing is left running behind the failure");
    }

    @Test
    void aCheckedFailureIsWrapped() {
        Exception checked = new Exception("checked");
        IllegalStateException thrown =
                assertThrows(IllegalStateException.class, () -> Settled.orFirstFailure(List.of("fine", checked)));
        assertSame(checked, thrown.getCause());
    }
}
