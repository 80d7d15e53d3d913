package com.sansam.runtime.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.sansam.runtime.security.Randomness;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-side sessions in Redis, shared by every commerce-api replica and by the chat-gateway.
 * <p>
 * Layout (a contract with chat-gateway, see docs/shop.md "Sessions"):
 * <ul>
 *   <li>{@code sansam:session:<id>}: hash {@code userId}, {@code role}, {@code createdAt} (ISO-8601) and
 *   {@code endsAt} (epoch seconds of the absolute end); expires after the idle TTL, extended on every authenticated
 *   request (sliding expiry), never past {@code endsAt};</li>
 *   <li>{@code sansam:user-sessions:<userId>}: set of that user's session ids, so all can be revoked at once.</li>
 *   <li>a session also ends {@code sansam.session.max-lifetime} after login, however active (absolute lifetime);</li>
 *   <li>{@code sansam:sessions:ended} (pub/sub): a user id is published whenever sessions of that user end.</li>
 * </ul>
 * The id in the cookie is 256 random bits; nothing else about the user is in the cookie.
 */
@ApplicationScoped
public class SessionStore {

    public static final String SESSION_PREFIX = "sansam:session:";
    public static final String USER_SESSIONS_PREFIX = "sansam:user-sessions:";
    /** Redis pub/sub channel: the id of a user some of whose sessions just ended. */
    public static final String ENDED_CHANNEL = "sansam:sessions:ended";

    /**
     * Reads a session and extends its idle lifetime (and its user's index) in one round trip: this runs on every
     * authenticated request. KEYS[1] the session; ARGV: idle TTL, now (epoch s), the user index prefix. The key's new
     * expiry never passes {@code endsAt} (sessions made before that field existed get the idle TTL; their absolute
     * lifetime is still checked in Java from {@code createdAt}). The index key is built in the script, so this needs a
     * single Redis (or the session and index in one slot), as the rest of the layout does.
     */
    private static final String TOUCH = """
            local f = redis.call('HGETALL', KEYS[1])
            if #f == 0 then return f end
            local user, ends
            for i = 1, #f, 2 do
              if f[i] == 'userId' then user = f[i + 1] elseif f[i] == 'endsAt' then ends = tonumber(f[i + 1]) end
            end
            local ttl = tonumber(ARGV[1])
            local keyTtl = ttl
            if ends then keyTtl = math.min(ttl, ends - tonumber(ARGV[2])) end
            if keyTtl > 0 then redis.call('EXPIRE', KEYS[1], keyTtl) end
            if user then redis.call('EXPIRE', ARGV[3] .. user, ttl) end
            return f""";

    private final ReactiveHashCommands<String, String, String> hashes;
    private final ReactiveSetCommands<String, String> sets;
    private final ReactiveKeyCommands<String> keys;
    private final ReactivePubSubCommands<String> pubsub;
    private final ReactiveRedisDataSource redis;
    private final long ttlSeconds;
    private final long maxLifetimeSeconds;
    /** Sessions this replica read lately (see {@link SessionConfig#localCacheTtl()}), with their absolute end. */
    private final Cache<String, Known> local;
    /** Grows with every ended-sessions announcement: a read that started before one may not fill the cache. */
    private final AtomicLong endings = new AtomicLong();

    private record Known(SessionData data, long endsAt) {}

    public SessionStore(ReactiveRedisDataSource redis, SessionConfig config) {
        this.local = Caffeine.newBuilder()
                .expireAfterWrite(config.localCacheTtl())
                .maximumSize(config.localCacheSize())
                .build();
        this.hashes = redis.hash(String.class);
        this.sets = redis.set(String.class);
        this.keys = redis.key();
        this.pubsub = redis.pubsub(String.class);
        this.redis = redis;
        this.ttlSeconds = config.ttl().toSeconds();
        this.maxLifetimeSeconds = config.maxLifetime().toSeconds();
    }

    public record SessionData(String sessionId, long userId, Role role) {}

    public Uni<String> create(long userId, Role role) {
        String id = newId();
        String key = SESSION_PREFIX + id;
        String index = USER_SESSIONS_PREFIX + userId;
        Instant now = Instant.now();
        return hashes.hset(
                        key,
                        Map.of(
                                "userId",
                                Long.toString(userId),
                                "role",
                                role.name(),
                                "createdAt",
                                now.toString(),
                                "endsAt",
                                Long.toString(now.getEpochSecond() + maxLifetimeSeconds)))
                .chain(() -> keys.expire(key, Math.min(ttlSeconds, maxLifetimeSeconds)))
                .chain(() -> sets.sadd(index, id))
                .chain(() -> keys.expire(index, ttlSeconds))
                .replaceWith(id);
    }

    /**
     * The session, or null when it does not exist (ended or expired). This runs on every authenticated request: it
     * answers from this replica's memory when it read the session within {@code local-cache-ttl}, else reads Redis
     * and extends the session's idle lifetime there in one round trip.
     */
    public Uni<SessionData> touch(String sessionId) {
        if (sessionId == null || sessionId.isBlank() || sessionId.length() > 100) {
            return Uni.createFrom().nullItem();
        }
        long now = Instant.now().getEpochSecond();
        Known known = local.getIfPresent(sessionId);
        if (known != null && now < known.endsAt()) {
            return Uni.createFrom().item(known.data());
        }
        long endingsBefore = endings.get();
        return redis.execute(
                        Command.EVAL,
                        TOUCH,
                        "1",
                        SESSION_PREFIX + sessionId,
                        Long.toString(ttlSeconds),
                        Long.toString(now),
                        USER_SESSIONS_PREFIX)
                .chain(reply -> {
                    Map<String, String> fields = fields(reply);
                    if (!fields.containsKey("userId")) {
                        return Uni.createFrom().nullItem();
                    }
                    long userId = Long.parseLong(fields.get("userId"));
                    long endsAt = fields.containsKey("createdAt")
                            ? Instant.parse(fields.get("createdAt")).getEpochSecond() + maxLifetimeSeconds
                            : now + maxLifetimeSeconds;
                    if (endsAt <= now) { // past its absolute lifetime, however active
                        return revoke(userId, sessionId).replaceWith((SessionData) null);
                    }
                    SessionData data = new SessionData(sessionId, userId, Role.valueOf(fields.get("role")));
                    if (endings.get() == endingsBefore) { // no session ended while this read ran: safe to remember
                        local.put(sessionId, new Known(data, endsAt));
                    }
                    return Uni.createFrom().item(data);
                });
    }

    /**
     * Sessions of this user ended somewhere (an announcement on {@link #ENDED_CHANNEL}): this replica forgets every
     * session of the user it remembers, so the next request asks Redis.
     */
    public void forgetUser(long userId) {
        endings.incrementAndGet();
        local.asMap().values().removeIf(known -> known.data().userId() == userId);
    }

    /** The script's reply: HGETALL's flat field, value, field, value… (a Lua table is an array in RESP2 and RESP3). */
    private static Map<String, String> fields(Response reply) {
        Map<String, String> fields = new HashMap<>();
        if (reply == null) {
            return fields;
        }
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            fields.put(reply.get(i).toString(), reply.get(i + 1).toString());
        }
        return fields;
    }

    public Uni<Void> revoke(long userId, String sessionId) {
        forgetUser(userId);
        return keys.del(SESSION_PREFIX + sessionId)
                .chain(() -> sets.srem(USER_SESSIONS_PREFIX + userId, sessionId))
                .chain(() -> announceEnded(userId));
    }

    /**
     * Tells every service that sessions of the user ended (logout, password change, withdrawal), so long-lived
     * connections (chat WebSockets) are checked at once instead of at their next periodic check.
     */
    private Uni<Void> announceEnded(long userId) {
        return pubsub.publish(ENDED_CHANNEL, Long.toString(userId)).replaceWithVoid();
    }

    /** Ends every session of the user except {@code keepSessionId} (may be null: end them all). */
    public Uni<Void> revokeAll(long userId, String keepSessionId) {
        forgetUser(userId);
        String index = USER_SESSIONS_PREFIX + userId;
        return sets.smembers(index).chain(ids -> {
            List<String> doomed =
                    ids.stream().filter(id -> !id.equals(keepSessionId)).toList();
            if (doomed.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            String[] sessionKeys =
                    doomed.stream().map(id -> SESSION_PREFIX + id).toArray(String[]::new);
            return keys.del(sessionKeys)
                    .chain(() -> sets.srem(index, doomed.toArray(String[]::new)))
                    .chain(() -> announceEnded(userId));
        });
    }

    private static String newId() {
        byte[] bytes = new byte[32];
        Randomness.secure().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
