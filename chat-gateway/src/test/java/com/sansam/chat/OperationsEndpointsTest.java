package com.sansam.chat;

import com.sansam.runtime.testing.OperationsEndpointsContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OperationsEndpointsTest extends OperationsEndpointsContract {}
