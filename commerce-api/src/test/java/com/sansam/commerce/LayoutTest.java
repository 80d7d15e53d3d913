package com.sansam.commerce;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.sansam.runtime.testing.LayoutContract;
import org.junit.jupiter.api.Test;

/** {@link LayoutContract} on this service's classes (plain JUnit: no application started). */
class LayoutTest extends LayoutContract {

    LayoutTest() {
        super("com.sansam.commerce");
    }

    /**
     * The stock-worker's events arrive on one queue, routed by {@code stock/messaging/StockEventsHandler} to the
     * features they are about: a leaf at the top, so no feature depends on it (and none on another through it).
     */
    @Test
    void theStockEventsRouterIsALeaf() {
        noClasses()
                .that()
                .resideOutsideOfPackage("com.sansam.commerce.stock..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.sansam.commerce.stock..")
                .check(classes());
    }

    /** Orders are placed against the deal's rules; the deal never reaches into orders. */
    @Test
    void dealsDoNotDependOnOrders() {
        noClasses()
                .that()
                .resideInAPackage("com.sansam.commerce.deal..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.sansam.commerce.order..")
                .check(classes());
    }
}
