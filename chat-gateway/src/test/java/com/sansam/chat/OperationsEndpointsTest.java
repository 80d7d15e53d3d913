package com.sansam.chat;

import com.sansam.contracts.testing.OperationsEndpointsContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OperationsEndpointsTest extends OperationsEndpointsContract {}
