package com.sansam.commerce.notification.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Creates notices (and the emails that go with them) inside the caller's transaction, so a notice exists
 * exactly when its cause committed. Each has a dedupe key naming its cause: the same event handled twice makes
 * one notice and one email. Emails go only to users who opted in; they are sent later by {@link EmailSender}.
 * It also announces them in the same transaction ({@code pg_notify} on {@link NotificationStream#CHANNEL}):
 * PostgreSQL delivers the announcement when, and only when, the transaction commits, so every replica's open
 * streams pick the notices up without the caller doing anything after its commit.
 */
@ApplicationScoped
public class Notifier {

    /** An in-site notice. {@code dedupeKey} names the cause (e.g. {@code paid:<orderId>}). */
    public record Notice(String kind, String dedupeKey, String title, String body, String link) {}

    /**
     * An email from a Qute template under {@code templates/emails/}; the recipient's {@code name} is added when sent.
     * {@code traceParent}: the trace it is part of (an order's), continued when it is sent; may be null.
     */
    public record Email(String template, String subject, Map<String, Object> data, String traceParent) {

        public Email(String template, String subject, Map<String, Object> data) {
            this(template, subject, data, null);
        }
    }

    private final ObjectMapper json;

    public Notifier(ObjectMapper json) {
        this.json = json;
    }

    /** Who receives a notice: each kind is one fixed query, so no caller ever hands SQL to the notifier. */
    public sealed interface Audience {

        /** The query selecting the user ids (named parameters from {@link #params}). */
        String userIds();

        default Map<String, Object> params() {
            return Map.of();
        }

        /** One user. */
        record User(long userId) implements Audience {
            public String userIds() {
                return "select id from users where id = :target";
            }

            public Map<String, Object> params() {
                return Map.of("target", userId);
            }
        }

        /** Every admin. */
        record Admins() implements Audience {
            public String userIds() {
                return "select id from users where role = 'ADMIN'";
            }
        }

        /** Every user. */
        record Everyone() implements Audience {
            public String userIds() {
                return "select id from users";
            }
        }

        /** Shoppers with the SKU in their wishlist (by its product) or cart. */
        record HoldersOfSku(String sku) implements Audience {
            public String userIds() {
                return """
                        select w.user_id from wishlist_item w join product_option o on o.product_id = w.product_id
                        where o.sku = :sku
                        union select c.user_id from cart_item c where c.sku = :sku""";
            }

            public Map<String, Object> params() {
                return Map.of("sku", sku);
            }
        }

        /** Shoppers who asked to be told when a deal starts. */
        record DealSubscribers(long dealId) implements Audience {
            public String userIds() {
                return "select user_id from deal_reminder where deal_id = :deal";
            }

            public Map<String, Object> params() {
                return Map.of("deal", dealId);
            }
        }

        /** Entrants of a draw who were not given a unit (they stay in line while the deal lasts). */
        record DrawWaitingList(long dealId) implements Audience {
            public String userIds() {
                return "select user_id from deal_entry where deal_id = :deal and offered_at is null";
            }

            public Map<String, Object> params() {
                return Map.of("deal", dealId);
            }
        }

        /** Shoppers with the product in their wishlist. */
        record WishersOf(long productId) implements Audience {
            public String userIds() {
                return "select user_id from wishlist_item where product_id = :product";
            }

            public Map<String, Object> params() {
                return Map.of("product", productId);
            }
        }
    }

    /** To one (active) user. */
    public Uni<Void> toUser(long userId, Notice notice, Email email) {
        return to(new Audience.User(userId), notice, email);
    }

    /** To every admin. */
    public Uni<Void> toAdmins(Notice notice, Email email) {
        return to(new Audience.Admins(), notice, email);
    }

    /** An email about the account's security to one active user, opted in to emails or not (no in-site notice). */
    public Uni<Void> securityEmail(long userId, String dedupeKey, Email email) {
        return securityEmail(userId, null, dedupeKey, email);
    }

    /** As {@link #securityEmail(long, String, Email)}, to {@code address} instead (an email change being proven). */
    public Uni<Void> securityEmail(long userId, String address, String dedupeKey, Email email) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                        insert into email_outbox (user_id, to_address, template, subject, data, dedupe_key, trace_parent,
                                                  next_attempt_at, created_at)
                        select u.id, coalesce(cast(:to as varchar), u.email), :template, :subject, :data, :dedupe, :trace,
                               now(), now() from users u
                        where u.id = :user and u.withdrawn_at is null and u.email is not null
                        on conflict (dedupe_key) do nothing""")
                        .setParameter("template", email.template())
                        .setParameter("subject", email.subject())
                        .setParameter("data", toJson(email.data()))
                        .setParameter("dedupe", dedupeKey)
                        .setParameter("trace", email.traceParent())
                        .setParameter("user", userId)
                        .setParameter("to", address)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** To every active user of the audience: one statement, however many users. */
    public Uni<Void> to(Audience audience, Notice notice, Email email) {
        String userIds = audience.userIds();
        Map<String, Object> params = audience.params();
        return Panache.getSession().chain(session -> {
            var insert = session.createNativeQuery("""
                    insert into notification (user_id, kind, title, body, link, dedupe_key, created_at)
                    select u.id, :kind, :title, :body, :link, :dedupe, now() from users u
                    where u.withdrawn_at is null and u.id in (""" + userIds + """
                    ) on conflict (user_id, dedupe_key) do nothing""")
                    .setParameter("kind", notice.kind())
                    .setParameter("title", notice.title())
                    .setParameter("body", notice.body())
                    .setParameter("link", notice.link())
                    .setParameter("dedupe", notice.dedupeKey());
            params.forEach(insert::setParameter);
            // announced only when a notice was made (a repeated cause makes none)
            Uni<Integer> notices = insert.executeUpdate()
                    .call(made -> made == 0
                            ? Uni.createFrom().voidItem()
                            : session.createNativeQuery(
                                            "select count(*) from (select pg_notify(:channel, :target)) announced")
                                    .setParameter("channel", NotificationStream.CHANNEL)
                                    .setParameter(
                                            "target",
                                            audience instanceof Audience.User user
                                                    ? Long.toString(user.userId())
                                                    : NotificationStream.EVERYONE)
                                    .getSingleResult());
            if (email == null) {
                return notices.replaceWithVoid();
            }
            var mail = session.createNativeQuery("""
                    insert into email_outbox (user_id, to_address, template, subject, data, dedupe_key, trace_parent,
                                              next_attempt_at, created_at)
                    select u.id, u.email, :template, :subject, :data, :dedupe || ':' || u.id, :trace, now(), now() from users u
                    where u.withdrawn_at is null and u.email_opt_in and u.email is not null and u.id in (""" + userIds + """
                    ) on conflict (dedupe_key) do nothing""")
                    .setParameter("template", email.template())
                    .setParameter("subject", email.subject())
                    .setParameter("data", toJson(email.data()))
                    .setParameter("dedupe", notice.dedupeKey())
                    .setParameter("trace", email.traceParent());
            params.forEach(mail::setParameter);
            return notices.chain(mail::executeUpdate).replaceWithVoid();
        });
    }

    private String toJson(Map<String, Object> data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
