package com.sansam.commerce.account.service;

import com.sansam.commerce.account.client.SmsGateway;
import com.sansam.commerce.account.client.SmsRefused;
import com.sansam.commerce.account.client.SmsUnavailable;
import com.sansam.commerce.account.config.AccountConfig;
import com.sansam.commerce.account.model.AccountDtos.CodeSent;
import com.sansam.commerce.account.model.PhoneNumbers;
import com.sansam.commerce.account.model.User;
import com.sansam.runtime.db.PgErrors;
import com.sansam.runtime.problem.Refusal;
import com.sansam.runtime.ratelimit.FixedWindows;
import com.sansam.runtime.security.Randomness;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Proves an account's mobile number with a 6-digit code sent by SMS. A code is kept only as a hash (with the number it
 * was sent to), is valid for {@code code-ttl}, allows {@code code-attempts} tries, and is used up by the right one.
 * Sending is bounded per number and per client address ({@code max-codes-per-*} in {@code code-window}) and to one
 * code per account and number per {@code code-resend-after}; a send the provider may have delivered is never repeated
 * by the shop. One live account holds a number (a unique index decides races); the rule is: a number held by another
 * account is refused, never taken over (docs/shop.md "Verified buyers" says why).
 */
@ApplicationScoped
public class PhoneVerification {

    private static final Logger LOG = Logger.getLogger(PhoneVerification.class);
    private static final String PREFIX = "sansam:phone:";

    private final AccountConfig.Verification config;
    private final AccountConfig.Sms sms;
    private final SmsGateway gateway;
    private final FixedWindows windows;
    private final ReactiveValueCommands<String, String> values;
    private final ReactiveValueCommands<String, Long> counters;
    private final ReactiveKeyCommands<String> keys;

    public PhoneVerification(
            AccountConfig config, SmsGateway gateway, FixedWindows windows, ReactiveRedisDataSource redis) {
        this.config = config.verification();
        this.sms = config.sms();
        this.gateway = gateway;
        this.windows = windows;
        this.values = redis.value(String.class);
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
    }

    /** Sends a code to {@code rawPhone} for this account. */
    public Uni<CodeSent> send(long userId, String rawPhone, String clientAddress) {
        String phone = PhoneNumbers.mobile(rawPhone)
                .orElseThrow(() -> Refusal.invalid("phone", "Must be a Korean mobile number (010…)"));
        String sentKey = PREFIX + "sent:" + userId + ":" + phone;
        return Panache.withSession(() -> User.<User>find("verifiedPhone = ?1 and withdrawnAt is null", phone)
                        .firstResult())
                .invoke(holder -> {
                    if (holder != null) {
                        throw holder.id == userId ? alreadyYours() : taken();
                    }
                })
                .chain(() -> limit(PREFIX + "address:" + clientAddress, config.maxCodesPerAddress()))
                .chain(() -> values.setGet(sentKey, "1", new SetArgs().nx().px(config.codeResendAfter())))
                .chain(previous -> previous == null
                        ? limit(PREFIX + "number:" + phone, config.maxCodesPerPhone())
                        : windows.secondsLeft(sentKey, config.codeResendAfter()).map(wait -> {
                            throw Refusal.retryLater(
                                    Refusal.Reason.TOO_OFTEN,
                                    "code-resend-too-soon",
                                    "Too soon",
                                    "A code was sent to this number a moment ago and is still valid",
                                    wait);
                        }))
                .chain(() -> {
                    String code = String.format("%06d", Randomness.secure().nextInt(1_000_000));
                    return values.psetex(
                                    codeKey(userId),
                                    config.codeTtl().toMillis(),
                                    phone + "|" + hash(userId, phone, code))
                            .chain(() -> keys.del(triesKey(userId)))
                            .chain(() -> gateway.send(
                                    PhoneNumbers.domestic(phone),
                                    sms.sender(),
                                    "[SANSAM] 인증번호 " + code + " ("
                                            + config.codeTtl().toMinutes() + "분 안에 입력해 주세요)"))
                            .onFailure()
                            .recoverWithUni(failure -> notSent(userId, sentKey, SmsGateway.classify(failure)))
                            .replaceWith(new CodeSent(
                                    PhoneNumbers.masked(phone),
                                    config.codeTtl().toSeconds(),
                                    config.codeResendAfter().toSeconds()));
                });
    }

    /**
     * A send that failed: when the provider surely sent nothing, the code and the resend mark go, so that asking again
     * works at once; when it may have sent it, both stay (the code works if it arrives) and the shop does not send
     * again before the resend delay.
     */
    private <T> Uni<T> notSent(long userId, String sentKey, RuntimeException failure) {
        if (failure instanceof SmsUnavailable unavailable && !unavailable.notSent()) {
            LOG.warnf("SMS send unsure, not repeated: %s", failure.getMessage());
            return windows.secondsLeft(sentKey, config.codeResendAfter()).map(wait -> {
                throw Refusal.retryLater(
                        Refusal.Reason.UNAVAILABLE,
                        "sms-unsure",
                        "Code may be late",
                        "The SMS service did not answer in time; the code may still arrive. If it does not, "
                                + "ask again in " + wait + " s",
                        wait);
            });
        }
        Uni<Void> forget = keys.del(sentKey, codeKey(userId)).replaceWithVoid();
        if (failure instanceof SmsRefused refused && refused.status() == 400) {
            return forget.map(ignored -> {
                throw Refusal.invalid("phone", "This number cannot receive SMS (" + refused.code() + ")");
            });
        }
        LOG.errorf("SMS not sent: %s", failure.getMessage()); // credentials, balance, or the provider is down
        return forget.map(ignored -> {
            throw Refusal.retryLater(
                    Refusal.Reason.UNAVAILABLE,
                    "sms-unavailable",
                    "SMS unavailable",
                    "The code could not be sent; try again shortly",
                    10);
        });
    }

    /** Checks a code; the right one makes the number this account's verified phone. */
    public Uni<User> confirm(long userId, String code) {
        return counters.incr(triesKey(userId))
                .call(tries -> tries == 1
                        ? keys.pexpire(triesKey(userId), config.codeTtl().toMillis())
                        : Uni.createFrom().voidItem())
                .chain(tries -> values.get(codeKey(userId)).chain(stored -> {
                    if (stored == null) {
                        return Uni.createFrom()
                                .failure(Refusal.typed(
                                        Refusal.Reason.INVALID,
                                        "phone-code-expired",
                                        "No code pending",
                                        "The code has expired or was used up; ask for a new one",
                                        Map.of()));
                    }
                    String phone = stored.substring(0, stored.indexOf('|'));
                    boolean right = MessageDigest.isEqual(
                            stored.substring(stored.indexOf('|') + 1).getBytes(StandardCharsets.UTF_8),
                            hash(userId, phone, code).getBytes(StandardCharsets.UTF_8));
                    if (tries > config.codeAttempts() || !right) {
                        long left = Math.max(0, config.codeAttempts() - tries);
                        // the last try spent: the code is void, so guessing on cannot reach it
                        return (left == 0
                                        ? keys.del(codeKey(userId)).replaceWithVoid()
                                        : Uni.createFrom().voidItem())
                                .chain(() -> Uni.createFrom()
                                        .failure(Refusal.typed(
                                                Refusal.Reason.INVALID,
                                                "phone-code-invalid",
                                                "Wrong code",
                                                left > 0
                                                        ? "The code is wrong"
                                                        : "Too many wrong codes; ask for a new one",
                                                Map.of("attemptsLeft", left))));
                    }
                    return keys.del(codeKey(userId), triesKey(userId)).replaceWith(phone);
                }))
                .chain(phone -> Panache.withTransaction(() -> User.<User>findById(userId)
                                .invoke(user -> {
                                    if (user == null || user.isWithdrawn()) {
                                        throw Refusal.unauthenticated("The account no longer exists");
                                    }
                                    user.verifiedPhone = phone; // replaces (and so frees) the account's earlier number
                                    user.phone = phone;
                                    user.phoneVerifiedAt = Instant.now();
                                }))
                        .onFailure(PgErrors::isUniqueViolation)
                        .transform(failure -> taken()));
    }

    private Uni<Void> limit(String key, int max) {
        return windows.take(key, max, config.codeWindow())
                .invoke(wait -> {
                    if (wait > 0) {
                        throw Refusal.retryLater(
                                Refusal.Reason.TOO_OFTEN,
                                "too-many-codes",
                                "Too many codes",
                                "Too many codes were asked for; try again later",
                                wait);
                    }
                })
                .replaceWithVoid();
    }

    private static Refusal taken() {
        return Refusal.conflict(
                "phone-taken",
                "Number in use",
                "Another account has verified this number. One number belongs to one account: withdraw or change the "
                        + "number on the other account first",
                Map.of());
    }

    private static Refusal alreadyYours() {
        return Refusal.conflict(
                "phone-already-verified", "Already verified", "This number is verified for your account", Map.of());
    }

    private static String hash(long userId, String phone, String code) {
        return KnownDevices.sha256(userId + ":" + phone + ":" + code);
    }

    private static String codeKey(long userId) {
        return PREFIX + "code:" + userId;
    }

    private static String triesKey(long userId) {
        return PREFIX + "tries:" + userId;
    }
}
