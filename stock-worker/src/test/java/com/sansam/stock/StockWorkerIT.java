package com.sansam.stock;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sansam.messages.Messages;
import com.sansam.messages.StockCommands.AdjustStock;
import com.sansam.messages.StockEvents.StockChanged;
import com.sansam.runtime.testing.PackagedAppServices;
import com.sansam.runtime.testing.TestBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The packaged stock-worker (jar, or native executable where built): ready, and applies a real stock command. */
@QuarkusIntegrationTest
@QuarkusTestResource(
        value = PackagedAppServices.class,
        restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "sansam_stock_test"))
class StockWorkerIT {

    @Test
    void startsReadyAndAppliesAStockCommandFromTheBroker() {
        given().get("/q/health/ready").then().statusCode(200);
        String sku = "IT-" + UUID.randomUUID();
        try (TestBroker broker = new TestBroker();
                TestBroker.Tap events = broker.tap(Messages.STOCK_EVENTS_EXCHANGE)) {
            broker.publish(Messages.STOCK_COMMANDS_EXCHANGE, "sku", sku, new AdjustStock(sku, 3, "packaged test"));
            var changed = events.await("StockChanged", e -> e.aggregateId().equals(sku), 1, Duration.ofSeconds(30))
                    .get(0);
            assertEquals(3, Messages.payload(changed, StockChanged.class).available());
        }
    }
}
