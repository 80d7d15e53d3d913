package com.sansam.commerce.notification.service;

import com.sansam.commerce.notification.config.NotificationConfig;
import com.sansam.commerce.notification.model.NotificationDtos.Broadcast;
import com.sansam.commerce.notification.model.NotificationDtos.NoticePage;
import com.sansam.commerce.notification.model.NotificationDtos.NoticeView;
import com.sansam.runtime.paging.KeysetCursor;
import com.sansam.runtime.problem.Refusal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/** A user's in-site notices: listing, unread count, marking read; admin broadcasts; retention. */
@ApplicationScoped
public class NotificationService {

    private static final Logger LOG = Logger.getLogger(NotificationService.class);

    private final Pool pool;
    private final Notifier notifier;
    private final NotificationStream stream;
    private final NotificationConfig config;

    public NotificationService(Pool pool, Notifier notifier, NotificationStream stream, NotificationConfig config) {
        this.pool = pool;
        this.notifier = notifier;
        this.stream = stream;
        this.config = config;
    }

    /** Newest first; with {@code unreadFirst}, every unread notice before the read ones. Keyset paging. */
    public Uni<NoticePage> list(long userId, boolean unreadFirst, String cursor, Integer size) {
        int limit = size == null ? 20 : size;
        if (limit < 1 || limit > 100) {
            throw Refusal.invalid("size", "size must be 1 to 100");
        }
        long[] after = cursor == null || cursor.isBlank() ? null : KeysetCursor.decodeLongs(cursor, 2);
        String rank = unreadFirst ? "(case when read_at is null then 1 else 0 end)" : "0";
        String sql = "select id, kind, title, body, link, created_at, read_at is not null as read, " + rank + " as rank"
                + " from notification where user_id = $1"
                + (after == null ? "" : " and (" + rank + ", id) < ($2, $3)")
                + " order by rank desc, id desc limit " + (limit + 1);
        Tuple args = after == null ? Tuple.of(userId) : Tuple.of(userId, (int) after[0], after[1]);
        return pool.preparedQuery(sql)
                .execute(args)
                .chain(rows -> unreadCount(userId).map(unread -> {
                    List<NoticeView> notices = new ArrayList<>();
                    List<Integer> ranks = new ArrayList<>();
                    for (Row row : rows) {
                        notices.add(view(row));
                        ranks.add(row.getInteger("rank"));
                    }
                    String next = null;
                    if (notices.size() > limit) {
                        notices = notices.subList(0, limit);
                        next = KeysetCursor.encode(
                                ranks.get(limit - 1), notices.get(limit - 1).id());
                    }
                    return new NoticePage(List.copyOf(notices), unread, next);
                }));
    }

    public Uni<Long> unreadCount(long userId) {
        return unreadCount(pool, userId);
    }

    static Uni<Long> unreadCount(Pool pool, long userId) {
        return pool.preparedQuery("select count(*) from notification where user_id = $1 and read_at is null")
                .execute(Tuple.of(userId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Marks one of the caller's notices read (another user's is "not found"). */
    public Uni<Long> markRead(long userId, long noticeId) {
        return pool.preparedQuery("""
                        update notification set read_at = coalesce(read_at, now()) where id = $1 and user_id = $2""")
                .execute(Tuple.of(noticeId, userId))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        throw Refusal.notFound("no notification " + noticeId);
                    }
                    return unreadCount(userId);
                })
                .call(() -> stream.signal(userId));
    }

    public Uni<Long> markAllRead(long userId) {
        return pool.preparedQuery("update notification set read_at = now() where user_id = $1 and read_at is null")
                .execute(Tuple.of(userId))
                .chain(() -> unreadCount(userId))
                .call(() -> stream.signal(userId));
    }

    /** A notice to every active user, in one statement; answers how many got it. */
    public Uni<Long> broadcast(Broadcast message) {
        Notifier.Notice notice = new Notifier.Notice(
                "BROADCAST",
                "broadcast:" + UUID.randomUUID(),
                message.title().strip(),
                message.body().strip(),
                message.link());
        return Panache.withTransaction(() -> notifier.to(new Notifier.Audience.Everyone(), notice, null))
                .chain(() -> pool.preparedQuery("select count(*) from notification where dedupe_key = $1")
                        .execute(Tuple.of(notice.dedupeKey()))
                        .map(rows -> rows.iterator().next().getLong(0)));
    }

    /** In-site notices are kept {@code sansam.notification.retention} (14 days), then deleted. */
    @Scheduled(
            every = "${sansam.notification.retention-check:1h}",
            delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> deleteExpired() {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.retention());
        return pool.preparedQuery("delete from notification where created_at < $1")
                .execute(Tuple.of(cutoff))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.infof("Deleted %d notices older than %s", rows.rowCount(), config.retention());
                    }
                })
                .replaceWithVoid();
    }

    static NoticeView view(Row row) {
        return new NoticeView(
                row.getLong("id"),
                row.getString("kind"),
                row.getString("title"),
                row.getString("body"),
                row.getString("link"),
                row.getOffsetDateTime("created_at").toInstant(),
                row.getBoolean("read"));
    }
}
