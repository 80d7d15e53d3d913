package com.sansam.commerce.notification.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** JSON shapes of the notifications API. */
public final class NotificationDtos {

    private NotificationDtos() {}

    public record NoticeView(
            long id, String kind, String title, String body, String link, Instant createdAt, boolean read) {}

    public record NoticePage(List<NoticeView> notifications, long unreadCount, String nextCursor) {}

    public record UnreadCount(long unreadCount) {}

    /** One element of the live stream: a new notice (with the unread count after it), or the count alone. */
    public record StreamEvent(String type, NoticeView notice, long unreadCount) {}

    /** {@code link}: a path inside the shop ({@code /...}, not {@code //host}) or an http(s) URL, nothing else. */
    public record Broadcast(
            @NotBlank @Size(max = 200) String title,
            @NotBlank @Size(max = 2000) String body,

            @Size(max = 300)
            @Pattern(
                    regexp = "^(/(?![/\\\\])\\S*|https?://\\S+)$",
                    message = "must be a path starting with / or an http(s) URL")
            String link) {}
}
