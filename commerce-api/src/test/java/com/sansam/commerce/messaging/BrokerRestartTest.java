package com.sansam.commerce.messaging;

import static com.sansam.commerce.support.Api.PASSWORD;
import static com.sansam.commerce.support.Api.as;
import static com.sansam.commerce.support.Api.login;
import static com.sansam.commerce.support.Api.signup;
import static com.sansam.commerce.support.Api.uniqueEmail;
import static org.hamcrest.Matchers.equalTo;

import com.sansam.commerce.notification.messaging.ChatEventsHandler;
import com.sansam.commerce.stock.messaging.StockEventsHandler;
import com.sansam.messages.ChatEvents.ChatMessageUnread;
import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.messages.StockEvents.StockChanged;
import com.sansam.runtime.testing.BrokerRestarts;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both of commerce-api's consumers keep consuming through two broker restarts with a backlog beyond the prefetch. */
@QuarkusTest
class BrokerRestartTest {

    private static final int BACKLOG = 2_000; // the prefetch is 64; enough to still be consumed across both restarts

    @BeforeEach
    void brokerControllable() {
        Assumptions.assumeTrue(BrokerRestarts.controllable(), "rabbitmqctl is not usable here");
    }

    @Test
    void stockEventsSurviveTwoBrokerRestarts() {
        String prefix = "RESTART-" + UUID.randomUUID().toString().substring(0, 8);
        List<Envelope> backlog = new ArrayList<>();
        for (int i = 0; i < BACKLOG; i++) {
            String sku = prefix + "-" + i;
            backlog.add(Messages.wrap("sku", sku, new StockChanged(sku, i, 1)));
        }
        BrokerRestarts.backlogSurvivesTwoRestarts(
                Messages.STOCK_EVENTS_EXCHANGE, StockEventsHandler.CHANNEL, "commerce-api.stock-events", backlog);
    }

    @Test
    void chatEventsSurviveTwoBrokerRestartsAndNotifyOnceEach() {
        String email = uniqueEmail();
        long userId = signup(email);
        String session = login(email, PASSWORD);
        List<Envelope> backlog = new ArrayList<>();
        for (int i = 0; i < BACKLOG; i++) {
            backlog.add(Messages.wrap(
                    "user",
                    Long.toString(userId),
                    new ChatMessageUnread(userId, 900_000 + i, "Room " + i, "sender", i + 1)));
        }
        BrokerRestarts.backlogSurvivesTwoRestarts(
                Messages.CHAT_EVENTS_EXCHANGE, ChatEventsHandler.CHANNEL, "commerce-api.chat-events", backlog);
        // one notice per message: the welcome notice plus the backlog
        as(session)
                .get("/api/v1/notifications/unread-count")
                .then()
                .statusCode(200)
                .body("unreadCount", equalTo(BACKLOG + 1));
    }
}
