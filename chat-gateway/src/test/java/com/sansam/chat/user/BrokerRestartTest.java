package com.sansam.chat.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sansam.chat.room.messaging.UserFactsHandler;
import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.messages.UserEvents.UserRegistered;
import com.sansam.runtime.testing.BrokerRestarts;
import com.sansam.runtime.testing.CleanRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The user-events consumer keeps consuming through two broker restarts with a backlog beyond its prefetch. */
@QuarkusTest
@QuarkusTestResource(value = CleanRedis.class, restrictToAnnotatedClass = false)
class BrokerRestartTest {

    private static final int BACKLOG = 2_000; // the prefetch is 64; enough to still be consumed across both restarts

    @Test
    void userFactsSurviveTwoBrokerRestarts() throws Exception {
        Assumptions.assumeTrue(BrokerRestarts.controllable(), "rabbitmqctl is not usable here");
        long firstId = 50_000_000L + ThreadLocalRandom.current().nextLong(1_000_000) * 1000;
        List<Envelope> backlog = new ArrayList<>();
        for (int i = 0; i < BACKLOG; i++) {
            long userId = firstId + i;
            backlog.add(Messages.wrap("user", Long.toString(userId), new UserRegistered(userId, "Restart " + i, null)));
        }
        BrokerRestarts.backlogSurvivesTwoRestarts(
                Messages.USER_EVENTS_EXCHANGE, UserFactsHandler.CHANNEL, "chat-gateway.user-events", backlog);
        try (Connection connection = BrokerRestarts.database();
                ResultSet rows = connection
                        .createStatement()
                        .executeQuery("select count(*) from chat_user where user_id between " + firstId + " and "
                                + (firstId + BACKLOG - 1))) {
            rows.next();
            assertEquals(BACKLOG, rows.getInt(1), "users learnt");
        }
    }
}
