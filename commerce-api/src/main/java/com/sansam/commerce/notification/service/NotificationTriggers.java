package com.sansam.commerce.notification.service;

import com.sansam.commerce.notification.service.Notifier.Email;
import com.sansam.commerce.notification.service.Notifier.Notice;
import com.sansam.runtime.tracing.MessageTraces;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.text.NumberFormat;
import java.util.Locale;
import java.util.Map;

/**
 * What each business event tells whom (docs/shop.md "Notifications"). Every method runs inside the transaction of
 * its cause; the dedupe keys name that cause, so a repeated event or a retried step notifies once.
 */
@ApplicationScoped
public class NotificationTriggers {

    private final Notifier notifier;
    private final MessageTraces traces;

    public NotificationTriggers(Notifier notifier, MessageTraces traces) {
        this.notifier = notifier;
        this.traces = traces;
    }

    /** The trace an email about the order belongs to: its payment's span while that runs, else the current one. */
    private String orderTrace(String orderId) {
        return traces.traceParentFor("order", orderId);
    }

    public Uni<Void> welcome(long userId) {
        return notifier.toUser(
                userId,
                new Notice("WELCOME", "welcome", "SANSAM에 오신 것을 환영합니다", "엄선한 럭셔리 컬렉션을 만나 보세요.", "/"),
                new Email("welcome", "[SANSAM] 가입을 환영합니다", Map.of()));
    }

    public Uni<Void> paymentCompleted(long userId, String orderId, String orderName, long amount) {
        return notifier.toUser(
                userId,
                new Notice(
                        "PAYMENT_COMPLETED",
                        "paid:" + orderId,
                        "결제가 완료되었습니다",
                        orderName + " · " + won(amount) + "원",
                        "/orders/" + orderId),
                new Email(
                        "payment-completed",
                        "[SANSAM] 결제 완료 안내",
                        Map.of("orderId", orderId, "orderName", orderName, "amount", won(amount)),
                        orderTrace(orderId)));
    }

    /** A cancel (whole or partial) was refunded by Toss; {@code cancelKey} is the cancel's own id. */
    public Uni<Void> paymentCancelled(
            long userId, String orderId, String orderName, String cancelKey, long refunded, String reason) {
        return notifier.toUser(
                userId,
                new Notice(
                        "PAYMENT_CANCELLED",
                        "cancel:" + cancelKey,
                        "결제가 취소되었습니다",
                        orderName + " · " + won(refunded) + "원 환불 (" + reason + ")",
                        "/orders/" + orderId),
                new Email(
                        "payment-cancelled",
                        "[SANSAM] 결제 취소 및 환불 안내",
                        Map.of("orderId", orderId, "orderName", orderName, "refunded", won(refunded), "reason", reason),
                        orderTrace(orderId)));
    }

    public Uni<Void> reviewRequest(long userId, String orderId, String orderName) {
        return notifier.toUser(
                userId,
                new Notice(
                        "REVIEW_REQUEST",
                        "review-request:" + orderId,
                        "구매하신 상품의 후기를 남겨 주세요",
                        orderName,
                        "/orders/" + orderId + "/review"),
                new Email(
                        "review-request",
                        "[SANSAM] 구매하신 상품은 마음에 드셨나요?",
                        Map.of("orderId", orderId, "orderName", orderName)));
    }

    /** LowStock from the stock-worker: admins by email and in the site; shoppers holding it in the site. */
    public Uni<Void> lowStock(String messageId, String sku, int available, int threshold) {
        return notifier.toAdmins(
                        new Notice(
                                "LOW_STOCK",
                                "low-stock:" + messageId,
                                "재고 부족: " + sku,
                                "남은 재고 " + available + "개 (기준 " + threshold + "개)",
                                "/admin/skus/" + sku),
                        new Email(
                                "low-stock",
                                "[SANSAM 관리] 재고 부족: " + sku,
                                Map.of("sku", sku, "available", available, "threshold", threshold)))
                .chain(() -> notifier.to(
                        new Notifier.Audience.HoldersOfSku(sku),
                        new Notice(
                                "RUNNING_LOW",
                                "running-low:" + messageId,
                                "관심 상품의 재고가 얼마 남지 않았습니다",
                                sku + " · 남은 재고 " + available + "개",
                                "/skus/" + sku),
                        null));
    }

    /** A wished product's option came back from zero. */
    public Uni<Void> backInStock(String messageId, long productId, String productName) {
        return notifier.to(
                new Notifier.Audience.WishersOf(productId),
                new Notice(
                        "BACK_IN_STOCK",
                        "back-in-stock:" + messageId,
                        "관심 상품이 다시 입고되었습니다",
                        productName,
                        "/products/" + productId),
                null);
    }

    /** A deal on a wished product starts soon (once per deal: the dedupe key names it). */
    public Uni<Void> dealStartingSoon(long dealId, long productId, String title, java.time.Instant startsAt) {
        String at = java.time.format.DateTimeFormatter.ofPattern("M월 d일 HH:mm")
                .withZone(java.time.ZoneId.of("Asia/Seoul"))
                .format(startsAt);
        return notifier.to(
                new Notifier.Audience.WishersOf(productId),
                new Notice(
                        "DEAL_SOON",
                        "deal-soon:" + dealId,
                        "관심 상품의 타임딜이 곧 시작됩니다",
                        title + " · " + at + " 시작",
                        "/deals/" + dealId),
                null);
    }

    /** A deal started: those who asked for a reminder hear it. */
    public Uni<Void> dealStarted(long dealId, String title) {
        return notifier.to(
                new Notifier.Audience.DealSubscribers(dealId),
                new Notice("DEAL_STARTED", "deal-started:" + dealId, "타임딜이 시작되었습니다", title, "/deals/" + dealId),
                null);
    }

    /** A draw gave the buyer a unit: an order at the deal price waits for payment until {@code payBy}. */
    public Uni<Void> drawWon(
            long userId,
            long dealId,
            long entryId,
            String title,
            String orderId,
            long amount,
            java.time.Instant payBy) {
        String by = java.time.format.DateTimeFormatter.ofPattern("M월 d일 HH:mm")
                .withZone(java.time.ZoneId.of("Asia/Seoul"))
                .format(payBy);
        return notifier.toUser(
                userId,
                new Notice(
                        "DRAW_WON",
                        "draw-won:" + dealId + ":" + entryId,
                        "드로우에 당첨되셨습니다",
                        title + " · " + by + "까지 결제해 주세요",
                        "/orders/" + orderId),
                new Email(
                        "draw-won",
                        "[SANSAM] 드로우 당첨: " + title,
                        Map.of("title", title, "orderId", orderId, "amount", won(amount), "payBy", by)));
    }

    /** A draw was made: entrants without a unit hear it (and that they stay in line). */
    public Uni<Void> drawNotSelected(long dealId, String title) {
        return notifier.to(
                new Notifier.Audience.DrawWaitingList(dealId),
                new Notice(
                        "DRAW_RESULT",
                        "draw-result:" + dealId,
                        "드로우 결과: 이번에는 당첨되지 않으셨습니다",
                        title + " · 당첨자가 결제하지 않으면 대기 순번대로 기회가 넘어갑니다",
                        "/deals/" + dealId),
                null);
    }

    /** An offline member's first unread chat message in a room (chat-gateway's ChatMessageUnread). */
    public Uni<Void> chatUnread(long userId, long roomId, String roomName, String senderName, long messageId) {
        return notifier.toUser(
                userId,
                new Notice(
                        "CHAT_UNREAD",
                        "chat:" + roomId + ":" + messageId,
                        "새 채팅 메시지: " + roomName,
                        (senderName == null || senderName.isBlank() ? "누군가" : senderName) + "님이 메시지를 보냈습니다.",
                        "/chat/rooms/" + roomId),
                null);
    }

    /**
     * A login code for a new device of an account under attack: to the account's email whatever its marketing
     * opt-in (it is the owner's way in), no in-site notice (whoever asks is not logged in yet).
     */
    public Uni<Void> loginCode(long userId, String code, java.time.Duration validFor) {
        return notifier.securityEmail(
                userId,
                "login-code:" + java.util.UUID.randomUUID(),
                new Email(
                        "login-code",
                        "[SANSAM] 로그인 확인 코드 " + code,
                        Map.of("code", code, "minutes", validFor.toMinutes())));
    }

    /** The link that proves the account's email (or, during a change, the new address it is sent to). */
    public Uni<Void> emailLink(long userId, String address, String link, java.time.Duration validFor) {
        return notifier.securityEmail(
                userId,
                address,
                "email-link:" + java.util.UUID.randomUUID(),
                new Email(
                        "verify-email",
                        "[SANSAM] 이메일 주소를 확인해 주세요",
                        Map.of("link", link, "hours", Math.max(1, validFor.toHours()))));
    }

    private static String won(long amount) {
        return NumberFormat.getIntegerInstance(Locale.KOREA).format(amount);
    }
}
