package com.sansam.commerce.account.service;

import com.sansam.commerce.account.config.AccountConfig;
import com.sansam.commerce.account.model.User;
import com.sansam.commerce.notification.config.NotificationConfig;
import com.sansam.commerce.notification.service.NotificationTriggers;
import com.sansam.runtime.db.PgErrors;
import com.sansam.runtime.problem.Refusal;
import com.sansam.runtime.ratelimit.FixedWindows;
import com.sansam.runtime.security.Randomness;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proves an account's email: a link with a token {@code <userId>.<expiry>.<nonce>.<signature>}, the signature an
 * HMAC-SHA256 (key: {@code link-secret}) over the rest and the address it was sent to. The signature makes a token
 * unforgeable and ties it to that address; the nonce, kept on the account until used, makes it single-use (a newer
 * link voids the older). Following the link is a POST from the storefront page it opens, so that mail scanners that
 * fetch links do not use it up.
 */
@ApplicationScoped
public class EmailVerification {

    private static final String SENT = "sansam:email-link:sent:";
    private static final String DAILY = "sansam:email-link:day:";

    private final AccountConfig.Verification config;
    private final NotificationConfig shop;
    private final NotificationTriggers notices;
    private final FixedWindows windows;
    private final ReactiveValueCommands<String, String> values;

    public EmailVerification(
            AccountConfig config,
            NotificationConfig shop,
            NotificationTriggers notices,
            FixedWindows windows,
            ReactiveRedisDataSource redis) {
        this.config = config.verification();
        this.shop = shop;
        this.notices = notices;
        this.windows = windows;
        this.values = redis.value(String.class);
    }

    /** Sends a new link for the account's pending (else current) email; in the caller's transaction. */
    Uni<Void> send(User user) {
        String address = user.pendingEmail != null ? user.pendingEmail : user.email;
        byte[] random = new byte[18];
        Randomness.secure().nextBytes(random);
        user.emailLinkNonce = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        long expiry = Instant.now().plus(config.linkTtl()).getEpochSecond();
        String payload = user.id + "." + expiry + "." + user.emailLinkNonce;
        String token = payload + "." + sign(payload, address);
        return notices.emailLink(user.id, address, shop.shopUrl() + "/?verify-email=" + token, config.linkTtl());
    }

    /** Another link on request: at most one per {@code link-resend-after} and {@code max-links-per-day}. */
    public Uni<Void> resend(long userId) {
        return values.setGet(SENT + userId, "1", new SetArgs().nx().px(config.linkResendAfter()))
                .chain(previous -> previous != null
                        ? windows.secondsLeft(SENT + userId, config.linkResendAfter()) // at least 1
                        : windows.take(DAILY + userId, config.maxLinksPerDay(), Duration.ofDays(1)))
                .chain(wait -> {
                    if (wait > 0) {
                        throw tooSoon(wait);
                    }
                    return Panache.withTransaction(() -> User.<User>findById(userId)
                            .chain(user -> {
                                if (user == null || user.isWithdrawn()) {
                                    throw Refusal.unauthenticated("The account no longer exists");
                                }
                                if (user.emailVerified() && user.pendingEmail == null) {
                                    throw Refusal.conflict(
                                            "email-already-verified",
                                            "Email already verified",
                                            "This account's email is verified already",
                                            Map.of());
                                }
                                return send(user);
                            }));
                });
    }

    /** Follows a link: the account's email (or the change it proves) is verified; the link is used up. */
    public Uni<Void> confirm(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.");
        if (parts.length != 4 || !parts[0].matches("[0-9]{1,18}") || !parts[1].matches("[0-9]{1,12}")) {
            return Uni.createFrom().failure(invalid());
        }
        long userId = Long.parseLong(parts[0]);
        long expiry = Long.parseLong(parts[1]);
        String nonce = parts[2];
        String payload = parts[0] + "." + parts[1] + "." + nonce;
        return Panache.withTransaction(() -> User.<User>findById(userId).chain(user -> {
                    if (user == null || user.isWithdrawn()) {
                        throw invalid();
                    }
                    String address = user.pendingEmail != null ? user.pendingEmail : user.email;
                    if (!MessageDigest.isEqual(
                            sign(payload, address).getBytes(StandardCharsets.US_ASCII),
                            parts[3].getBytes(StandardCharsets.US_ASCII))) {
                        throw invalid(); // forged, or sent to an address the account no longer has
                    }
                    if (Instant.now().getEpochSecond() > expiry) {
                        throw Refusal.typed(
                                Refusal.Reason.GONE,
                                "verification-link-expired",
                                "Link expired",
                                "This link has expired; ask for a new one",
                                Map.of());
                    }
                    // single use even for two clicks at once: only the one that still finds the nonce changes the row
                    return Panache.getSession()
                            .chain(session -> session.createNativeQuery("""
                                            update users set email = coalesce(pending_email, email), pending_email = null,
                                                   email_verified_at = now(), email_link_nonce = null, version = version + 1
                                            where id = :id and email_link_nonce = :nonce and withdrawn_at is null""")
                                    .setParameter("id", userId)
                                    .setParameter("nonce", nonce)
                                    .executeUpdate())
                            .invoke(changed -> {
                                if (changed == 0) {
                                    throw Refusal.conflict(
                                            "verification-link-used",
                                            "Link used",
                                            "This link was used already, or a newer one was sent",
                                            Map.of());
                                }
                            });
                }))
                .onFailure(PgErrors::isUniqueViolation)
                .transform(taken ->
                        Refusal.conflict("email-taken", "Email taken", "Another account uses this email now", Map.of()))
                .replaceWithVoid();
    }

    private String sign(String payload, String address) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(
                    config.linkSecret().orElseThrow().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] signature = mac.doFinal((payload + "|" + address).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static Refusal invalid() {
        return Refusal.typed(
                Refusal.Reason.INVALID,
                "verification-link-invalid",
                "Invalid link",
                "This link is not valid; open the newest link we emailed, or ask for a new one",
                Map.of());
    }

    private static Refusal tooSoon(long seconds) {
        return Refusal.retryLater(
                Refusal.Reason.TOO_OFTEN,
                "verification-resend-too-soon",
                "Too soon",
                "A link was sent a moment ago; check your inbox",
                seconds);
    }
}
