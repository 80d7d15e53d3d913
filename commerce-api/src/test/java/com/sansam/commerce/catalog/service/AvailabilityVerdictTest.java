package com.sansam.commerce.catalog.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sansam.commerce.catalog.service.AvailabilityService.Verdict;
import com.sansam.messages.StockEvents;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one rule both availability paths apply (the batch of a drop and the one-by-one path that tells wishers). */
class AvailabilityVerdictTest {

    private static StockEvents.StockChanged event(int available, long version) {
        return new StockEvents.StockChanged("SKU-1", available, version, List.of());
    }

    @Test
    void aFirstEventIsApplied() {
        assertEquals(Verdict.APPLY, Verdict.of(null, null, event(3, 1)));
        assertEquals(Verdict.APPLY, Verdict.of(null, null, event(0, 1)));
    }

    @Test
    void anEventNotNewerThanWhatIsHeldChangesNothing() {
        assertEquals(Verdict.STALE, Verdict.of(2, 5L, event(9, 5)));
        assertEquals(Verdict.STALE, Verdict.of(0, 5L, event(9, 4)));
    }

    @Test
    void aNewerEventThatBringsASoldOutSkuBackTellsTheWishers() {
        assertEquals(Verdict.BACK_IN_STOCK, Verdict.of(0, 5L, event(1, 6)));
        assertEquals(Verdict.APPLY, Verdict.of(0, 5L, event(0, 6)));
        assertEquals(Verdict.APPLY, Verdict.of(2, 5L, event(0, 6)));
        assertEquals(Verdict.APPLY, Verdict.of(2, 5L, event(7, 6)));
    }
}
