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
 * After the commit, callers {@link NotificationStream#signal signal} the users so open streams pick them up.
 */
@ApplicationScoped
public class Notifier {

    /** An in-site notice. {@code dedupeKey} names the cause (e.g. {@code paid:<orderId>}). */
    public record Notice(String kind, String dedupeKey, String title, String body, String link) {
    }

    /** An email from a Qute template under {@code templates/emails/}; the recipient's {@code name} is added when sent. */
    public record Email(String template, String subject, Map<String, Object> data) {
    }

    private final ObjectMapper json;

    public Notifier(ObjectMapper json) {
        this.json = json;
    }

    /** To one (active) user. */
    public Uni<Void> toUser(long userId, Notice notice, Email email) {
        return toUsers("select id from users where id = :target", Map.of("target", userId), notice, email);
    }

    /** To every admin. */
    public Uni<Void> toAdmins(Notice notice, Email email) {
        return toUsers("select id from users where role = 'ADMIN'", Map.of(), notice, email);
    }

    /**
     * To every active user the query selects ({@code select <user id> ...}, with named parameters): one
     * statement, however many users.
     */
    public Uni<Void> toUsers(String userIds, Map<String, Object> params, Notice notice, Email email) {
        return Panache.getSession().chain(session -> {
            var insert = session.createNativeQuery("""
                    insert into notification (user_id, kind, title, body, link, dedupe_key, created_at)
                    select u.id, :kind, :title, :body, :link, :dedupe, now() from users u
                    where u.withdrawn_at is null and u.id in (""" + userIds + """
                    ) on conflict (user_id, dedupe_key) do nothing""")
                    .setParameter("kind", notice.kind()).setParameter("title", notice.title())
                    .setParameter("body", notice.body()).setParameter("link", notice.link())
                    .setParameter("dedupe", notice.dedupeKey());
            params.forEach(insert::setParameter);
            Uni<Integer> notices = insert.executeUpdate();
            if (email == null) {
                return notices.replaceWithVoid();
            }
            var mail = session.createNativeQuery("""
                    insert into email_outbox (user_id, to_address, template, subject, data, dedupe_key, next_attempt_at, created_at)
                    select u.id, u.email, :template, :subject, :data, :dedupe || ':' || u.id, now(), now() from users u
                    where u.withdrawn_at is null and u.email_opt_in and u.email is not null and u.id in (""" + userIds + """
                    ) on conflict (dedupe_key) do nothing""")
                    .setParameter("template", email.template()).setParameter("subject", email.subject())
                    .setParameter("data", toJson(email.data())).setParameter("dedupe", notice.dedupeKey());
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
