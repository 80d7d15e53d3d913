package com.sansam.contracts;

import com.sansam.contracts.testing.LayoutContract;

/** {@link LayoutContract} on the shared contracts themselves. */
class LayoutTest extends LayoutContract {

    LayoutTest() {
        super("com.sansam.contracts");
    }
}
