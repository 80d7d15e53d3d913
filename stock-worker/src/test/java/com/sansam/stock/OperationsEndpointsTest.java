package com.sansam.stock;

import com.sansam.runtime.testing.OperationsEndpointsContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OperationsEndpointsTest extends OperationsEndpointsContract {}
