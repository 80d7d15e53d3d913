package com.sansam.chat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.chat.user.model.ChatUser;
import com.sansam.messages.Messages;
import com.sansam.messages.UserEvents;
import com.sansam.runtime.testing.CleanRedis;
import com.sansam.runtime.testing.TestBroker;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The gateway learns user facts from commerce-api's events over the real broker. */
@QuarkusTest
@QuarkusTestResource(value = CleanRedis.class, restrictToAnnotatedClass = false)
class UserFactsTest {

    @Test
    void factsArriveAndAWithdrawalIsRemembered() {
        long userId = ThreadLocalRandom.current().nextLong(1_000_000, 9_000_000);
        try (TestBroker broker = new TestBroker()) {
            String id = Long.toString(userId);
            broker.publish(
                    Messages.USER_EVENTS_EXCHANGE, "user", id, new UserEvents.UserRegistered(userId, "박명품", null));
            broker.publish(
                    Messages.USER_EVENTS_EXCHANGE,
                    "user",
                    id,
                    new UserEvents.UserProfileChanged(userId, "박명품", 200_000_000L));
            broker.publish(
                    Messages.USER_EVENTS_EXCHANGE,
                    "user",
                    id,
                    new UserEvents.LifetimeSpendChanged(userId, 12_500_000L));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                ChatUser user = find(userId);
                assertEquals(200_000_000L, user.annualIncome);
                assertEquals(12_500_000L, user.lifetimeSpend);
            });
            broker.publish(Messages.USER_EVENTS_EXCHANGE, "user", id, new UserEvents.UserWithdrawn(userId));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(find(userId).withdrawn));
        }
    }

    private static ChatUser find(long userId) throws Throwable {
        ChatUser user = io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> ChatUser.<ChatUser>findById(userId)));
        if (user == null) {
            throw new AssertionError("user " + userId + " not known yet");
        }
        return user;
    }
}
