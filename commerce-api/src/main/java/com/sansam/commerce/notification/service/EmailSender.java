package com.sansam.commerce.notification.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sansam.commerce.notification.config.NotificationConfig;
import com.sansam.runtime.tracing.MessageTraces;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Sends the emails {@link Notifier} queued, from Qute templates under {@code templates/emails/}, through
 * quarkus-mailer (SMTP). Each due email is leased for 5 minutes (safe in every replica), sent, and marked sent;
 * a failure is retried with exponential backoff from 10 s, and given up after {@code email-max-attempts}.
 * Nothing here can fail or roll back the order that caused the email.
 */
@ApplicationScoped
public class EmailSender {

    private static final Logger LOG = Logger.getLogger(EmailSender.class);
    private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() {};

    private final Pool pool;
    private final ReactiveMailer mailer;
    private final Engine templates;
    private final ObjectMapper json;
    private final NotificationConfig config;
    private final MessageTraces traces;

    public EmailSender(
            Pool pool,
            ReactiveMailer mailer,
            Engine templates,
            ObjectMapper json,
            NotificationConfig config,
            MessageTraces traces) {
        this.traces = traces;
        this.pool = pool;
        this.mailer = mailer;
        this.templates = templates;
        this.json = json;
        this.config = config;
    }

    private record Due(
            long id,
            String to,
            String template,
            String subject,
            String data,
            int attempts,
            String name,
            String traceParent) {}

    @Scheduled(
            every = "${sansam.notification.email-poll:2s}",
            delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sendDue() {
        return pool.preparedQuery("""
                        update email_outbox set next_attempt_at = now() + interval '5 minutes', attempts = attempts + 1
                        where id in (select id from email_outbox
                                     where sent_at is null and failed_at is null and next_attempt_at <= now()
                                     order by id limit 20 for update skip locked)
                        returning id, to_address, template, subject, data, attempts, trace_parent,
                                  (select name from users u where u.id = email_outbox.user_id) as name""")
                .execute()
                .map(rows -> {
                    List<Due> due = new ArrayList<>();
                    for (Row row : rows) {
                        due.add(new Due(
                                row.getLong("id"),
                                row.getString("to_address"),
                                row.getString("template"),
                                row.getString("subject"),
                                row.getString("data"),
                                row.getInteger("attempts"),
                                row.getString("name"),
                                row.getString("trace_parent")));
                    }
                    return due;
                })
                .onItem()
                .transformToMulti(due -> Multi.createFrom().iterable(due))
                .onItem()
                .transformToUniAndMerge(this::send)
                .collect()
                .last()
                .replaceWithVoid();
    }

    /** Sends one email; one about an order is sent in a span of the order's trace. */
    private Uni<Void> send(Due email) {
        if (email.traceParent() == null) {
            return deliver(email);
        }
        MessageTraces.Handling span = traces.handling("email-outbox", null, email.traceParent());
        span.span().setAttribute("sansam.email.template", email.template());
        return deliver(email).onTermination().invoke((ok, failure, cancelled) -> span.end(failure));
    }

    private Uni<Void> deliver(Due email) {
        return Uni.createFrom()
                .item(() -> render(email))
                .chain(html -> mailer.send(Mail.withHtml(email.to(), email.subject(), html)))
                .chain(() -> pool.preparedQuery(
                                "update email_outbox set sent_at = now(), last_error = null where id = $1")
                        .execute(Tuple.of(email.id())))
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(failure -> failed(email, failure));
    }

    private Uni<Void> failed(Due email, Throwable failure) {
        String error = String.valueOf(failure.getMessage());
        error = error.length() > 500 ? error.substring(0, 500) : error;
        if (email.attempts() >= config.emailMaxAttempts()) {
            LOG.errorf(
                    "Giving up email %d (%s) after %d tries: %s",
                    email.id(), email.template(), email.attempts(), error);
            return pool.preparedQuery("update email_outbox set failed_at = now(), last_error = $2 where id = $1")
                    .execute(Tuple.of(email.id(), error))
                    .replaceWithVoid();
        }
        long backoffSeconds = Math.min(3600, 10L << Math.min(12, email.attempts() - 1));
        LOG.warnf(
                "Email %d (%s) failed (try %d), retrying in %d s: %s",
                email.id(), email.template(), email.attempts(), backoffSeconds, error);
        return pool.preparedQuery("""
                        update email_outbox set next_attempt_at = now() + make_interval(secs => $2), last_error = $3 where id = $1""")
                .execute(Tuple.of(email.id(), (double) backoffSeconds, error))
                .replaceWithVoid();
    }

    private String render(Due email) {
        Template template = templates.getTemplate("emails/" + email.template());
        if (template == null) {
            throw new IllegalStateException("no email template " + email.template());
        }
        Map<String, Object> data;
        try {
            data = json.readValue(email.data(), DATA);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable email data", e);
        }
        TemplateInstance instance = template.instance()
                .data("shopUrl", config.shopUrl())
                .data("subject", email.subject())
                .data("name", email.name() == null ? "고객" : email.name());
        data.forEach(instance::data);
        return instance.render();
    }
}
