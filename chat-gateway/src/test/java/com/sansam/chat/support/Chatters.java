package com.sansam.chat.support;

import static org.awaitility.Awaitility.await;

import com.sansam.chat.user.model.ChatUser;
import com.sansam.messages.Messages;
import com.sansam.messages.UserEvents;
import com.sansam.runtime.session.Role;
import com.sansam.runtime.session.SessionStore;
import com.sansam.runtime.testing.TestBroker;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test users as commerce-api would make them: their facts arrive over the real broker (UserRegistered,
 * LifetimeSpendChanged), and their session is a real Redis session created by the shared {@link SessionStore}.
 */
public final class Chatters {

    private static final AtomicLong NEXT_ID = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000);

    private Chatters() {}

    public record Chatter(long id, String name, String session) {
        public RequestSpecification api() {
            return RestAssured.given().cookie("SESSION", session).contentType(ContentType.JSON);
        }
    }

    public static Chatter create(SessionStore sessions, String name, Long annualIncome, long lifetimeSpend) {
        long id = NEXT_ID.incrementAndGet();
        try (TestBroker broker = new TestBroker()) {
            broker.publish(
                    Messages.USER_EVENTS_EXCHANGE,
                    "user",
                    Long.toString(id),
                    new UserEvents.UserRegistered(id, name, annualIncome));
            if (lifetimeSpend > 0) {
                broker.publish(
                        Messages.USER_EVENTS_EXCHANGE,
                        "user",
                        Long.toString(id),
                        new UserEvents.LifetimeSpendChanged(id, lifetimeSpend));
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ChatUser user = find(id);
            return user != null && user.lifetimeSpend == lifetimeSpend;
        });
        String session = sessions.create(id, Role.USER).await().atMost(Duration.ofSeconds(5));
        return new Chatter(id, name, session);
    }

    public static ChatUser find(long id) {
        try {
            return VertxContextSupport.subscribeAndAwait(
                    () -> Panache.withSession(() -> ChatUser.<ChatUser>findById(id)));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
