package com.sansam.stock.messaging;

import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.messages.StockCommands.AdjustStock;
import com.sansam.runtime.broker.Topology;
import com.sansam.runtime.testing.BrokerRestarts;
import com.sansam.runtime.testing.CleanRedis;
import com.sansam.stock.Ledger;
import com.sansam.stock.inventory.messaging.StockCommandHandler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The stock-commands consumer keeps consuming through two broker restarts with a backlog beyond its prefetch. */
@QuarkusTest
@QuarkusTestResource(value = CleanRedis.class, restrictToAnnotatedClass = false)
class BrokerRestartTest {

    private static final int SKUS = 10;
    private static final int PER_SKU = 40; // 400 commands, the prefetch is 32 per shard

    @Test
    void aBacklogSurvivesTwoBrokerRestartsAndIsAppliedOnce() throws Exception {
        Assumptions.assumeTrue(BrokerRestarts.controllable(), "rabbitmqctl is not usable here");
        String prefix = "RESTART-" + UUID.randomUUID().toString().substring(0, 8);
        List<Envelope> backlog = new ArrayList<>();
        for (int i = 0; i < SKUS * PER_SKU; i++) {
            String sku = prefix + "-" + (i % SKUS);
            backlog.add(Messages.wrap("sku", sku, new AdjustStock(sku, 1, "restart test")));
        }
        BrokerRestarts.backlogSurvivesTwoRestarts(
                Messages.STOCK_COMMANDS_EXCHANGE,
                StockCommandHandler.CHANNEL,
                Topology.route(Messages.STOCK_COMMANDS_EXCHANGE).queues(),
                backlog);
        for (int i = 0; i < SKUS; i++) {
            Ledger.assertStock(prefix + "-" + i, PER_SKU, 0);
        }
        Ledger.assertBalanced();
    }
}
