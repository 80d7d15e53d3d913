package com.sansam.stock;

import com.sansam.runtime.testing.LayoutContract;

/** {@link LayoutContract} on this service's classes (plain JUnit: no application started). */
class LayoutTest extends LayoutContract {

    LayoutTest() {
        super("com.sansam.stock");
    }
}
