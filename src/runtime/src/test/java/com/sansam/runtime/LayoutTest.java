package com.sansam.runtime;

import com.sansam.runtime.testing.LayoutContract;

/** {@link LayoutContract} on the shared runtime itself. */
class LayoutTest extends LayoutContract {

    LayoutTest() {
        super("com.sansam.runtime");
    }
}
