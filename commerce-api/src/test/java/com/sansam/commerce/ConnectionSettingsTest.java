package com.sansam.commerce;

import com.sansam.runtime.testing.ConnectionSettingsContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ConnectionSettingsTest extends ConnectionSettingsContract {}
