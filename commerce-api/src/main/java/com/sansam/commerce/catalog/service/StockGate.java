package com.sansam.commerce.catalog.service;

import com.sansam.commerce.catalog.config.CatalogConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The stock gate in Redis: lets a rush on a SKU be answered at once (409 {@code sold-out}) without a database
 * transaction or a reservation round trip, for every buyer after the SKU's units are spoken for.
 * <p>
 * Per SKU it holds the availability last heard from the stock-worker (with its version) and the <em>claims</em> of
 * orders placed but not decided yet (units each order asked for). An order is admitted when, for each of its SKUs,
 * the units claimed plus its own fit in the availability; it then claims them. A reserved order's claim ends with
 * the news of the change that took its units (the levels in its StockReserved, or an older stock-worker's StockChanged
 * naming it), in the same step as the availability that counts them,
 * so the gate never counts those units twice nor forgets them; a rejected order's claim ends with its outcome; a
 * claim also ends when placing the order fails, or after {@code sansam.catalog.stock-claim-ttl}. So under a rush
 * of a thousand buyers for ten units, ten are admitted and the others are told at once.
 * <p>
 * It is never the source of truth: the stock-worker still decides every reservation, and an admitted order can
 * still be rejected (its other SKU ran out). The gate refuses too many only while a placing process died between
 * claiming and committing (its claim lives {@code stock-claim-ttl}) or a restock's news was lost (at most
 * {@code stock-gate-ttl}; a SKU at zero at most {@code sold-out-mark-ttl}); it admits too many while it knows
 * nothing of a SKU (placing then teaches it what the database says) or a claim outlived its ttl. Without Redis
 * every order goes the full way.
 */
@ApplicationScoped
public class StockGate {

    private static final Logger LOG = Logger.getLogger(StockGate.class);
    private static final String PREFIX = "sansam:stock-gate:";
    /** How long an update of the gate is tried again while Redis is busy or away. */
    private static final long UPDATE_DEADLINE_MS = 30_000;

    /*
     * One hash per SKU: v = version, a = available, h = units held by claims, o:<orderId> = "<units>:<expiry ms>".
     * KEYS: the SKUs' hashes. ARGV: order id, now (ms), claim ttl (ms), then the units wanted per key.
     * Answers {0, <indexes of SKUs the gate knows nothing of>...} when admitted (claims made), or {index, available,
     * held} of the first SKU refused. Expired claims are only looked for when they could change the answer.
     */
    private static final String ADMIT = """
            local field = 'o:' .. ARGV[1]
            local now = tonumber(ARGV[2])
            local unknown = {}
            for i, key in ipairs(KEYS) do
              local state = redis.call('HMGET', key, 'a', 'h')
              if state[1] then
                local available = tonumber(state[1])
                local held = tonumber(state[2] or '0')
                local wanted = tonumber(ARGV[3 + i])
                if held + wanted > available and available > 0 then
                  held = 0
                  local fields = redis.call('HGETALL', key)
                  for j = 1, #fields, 2 do
                    local f = fields[j]
                    if string.sub(f, 1, 2) == 'o:' then
                      local claim = fields[j + 1]
                      local colon = string.find(claim, ':', 1, true)
                      if tonumber(string.sub(claim, colon + 1)) < now then
                        redis.call('HDEL', key, f)
                      else
                        held = held + tonumber(string.sub(claim, 1, colon - 1))
                      end
                    end
                  end
                  redis.call('HSET', key, 'h', held)
                end
                if held + wanted > available then
                  return {i, available, held}
                end
              else
                unknown[#unknown + 1] = i
              end
            end
            local expiry = now + tonumber(ARGV[3])
            for i, key in ipairs(KEYS) do
              if redis.call('HEXISTS', key, 'a') == 1 and redis.call('HSETNX', key, field, ARGV[3 + i] .. ':' .. expiry) == 1 then
                redis.call('HINCRBY', key, 'h', ARGV[3 + i])
              end
            end
            local answer = {0}
            for _, i in ipairs(unknown) do answer[#answer + 1] = i end
            return answer""";

    /*
     * KEYS: the SKUs' hashes. ARGV: ttl of a SKU in stock (s), ttl of a SKU at zero (s), then per key: version (-1:
     * only end claims), available, mode (0: a StockChanged, applied when newer; 1: read from the database, applied
     * only where the gate knows nothing or it says zero), n, and n order ids whose claims end.
     */
    private static final String RECORD = """
            local pos = 3
            for _, key in ipairs(KEYS) do
              local version = tonumber(ARGV[pos])
              local available = tonumber(ARGV[pos + 1])
              local seed = ARGV[pos + 2] == '1'
              local n = tonumber(ARGV[pos + 3])
              for k = pos + 4, pos + 3 + n do
                local field = 'o:' .. ARGV[k]
                local claim = redis.call('HGET', key, field)
                if claim then
                  redis.call('HDEL', key, field)
                  local units = tonumber(string.sub(claim, 1, string.find(claim, ':', 1, true) - 1))
                  if tonumber(redis.call('HINCRBY', key, 'h', -units)) < 0 then redis.call('HSET', key, 'h', 0) end
                end
              end
              pos = pos + 4 + n
              if version >= 0 then
                local held = redis.call('HGET', key, 'v')
                if (not held or tonumber(held) < version) and (not seed or not held or available <= 0) then
                  redis.call('HSET', key, 'v', version, 'a', available)
                  redis.call('EXPIRE', key, available > 0 and ARGV[1] or ARGV[2])
                end
              end
            end
            return 0""";

    private final Redis redis;
    private final long soldOutHintNanos;
    /** SKUs the gate refused lately on this replica, until when (System.nanoTime): see {@code sold-out-hint}. */
    private final Map<String, Long> soldOutHints = new java.util.concurrent.ConcurrentHashMap<>();

    private final long gateTtlSeconds;
    private final long soldOutTtlSeconds;
    private final long claimTtlMillis;

    public StockGate(Redis redis, CatalogConfig config) {
        this.redis = redis;
        this.soldOutHintNanos = config.soldOutHint().toNanos();
        this.gateTtlSeconds = Math.max(1, config.stockGateTtl().toSeconds());
        this.soldOutTtlSeconds = Math.max(1, config.soldOutMarkTtl().toSeconds());
        this.claimTtlMillis = Math.max(1, config.stockClaimTtl().toMillis());
    }

    /** The gate's answer to an order. */
    public record Admission(String refusedSku, int available, List<String> unknown) {

        static final Admission UNKNOWN = new Admission(null, 0, null);

        public boolean refused() {
            return refusedSku != null;
        }
    }

    /** Availability as the stock-worker or the database said it, with its version. */
    public record Level(int available, long version) {}

    /**
     * Admits the order and claims its units, or names the first SKU whose units are spoken for. {@code unknown}
     * lists the SKUs the gate holds nothing about (null: Redis did not answer; the order simply goes the full way).
     */
    public Uni<Admission> admit(String orderId, Map<String, Integer> wanted) {
        if (wanted.isEmpty()) {
            return Uni.createFrom().item(new Admission(null, 0, List.of()));
        }
        long now = System.nanoTime();
        for (String sku : wanted.keySet()) {
            Long until = soldOutHints.get(sku);
            if (until != null && until - now > 0) {
                return Uni.createFrom().item(new Admission(sku, 0, List.of())); // refused a moment ago: no round trip
            }
        }
        List<String> skus = new ArrayList<>(wanted.keySet());
        Request request = Request.cmd(Command.EVAL).arg(ADMIT).arg(skus.size());
        skus.forEach(sku -> request.arg(PREFIX + sku));
        request.arg(orderId).arg(System.currentTimeMillis()).arg(claimTtlMillis);
        skus.forEach(sku -> request.arg(wanted.get(sku)));
        return redis.send(request)
                .map(answer -> {
                    int first = answer.get(0).toInteger();
                    if (first > 0) {
                        int available = answer.get(1).toInteger();
                        if (answer.size() > 2 && answer.get(2).toInteger() >= available) { // not one unit left
                            soldOutHints.put(skus.get(first - 1), System.nanoTime() + soldOutHintNanos);
                        }
                        return new Admission(skus.get(first - 1), available, List.of());
                    }
                    List<String> unknown = new ArrayList<>();
                    for (int i = 1; i < answer.size(); i++) {
                        unknown.add(skus.get(answer.get(i).toInteger() - 1));
                    }
                    return new Admission(null, 0, unknown);
                })
                .onFailure()
                .invoke(e -> LOG.debugf("Stock gate unavailable: %s", e))
                .onFailure()
                .recoverWithItem(Admission.UNKNOWN);
    }

    /** What the gate should learn about one SKU: a new level (or none), and the orders whose claims end. */
    public record Update(String sku, Level level, boolean fromDatabase, Collection<String> decided) {

        /** The stock-worker's news: applied when newer than what the gate holds. */
        public static Update changed(String sku, Level level, Collection<String> decided) {
            return new Update(sku, level, false, decided);
        }

        /** Only the end of these orders' claims. */
        public static Update decided(String sku, Collection<String> orders) {
            return new Update(sku, null, false, orders);
        }

        /** What placing read from the database: taken only where the gate knows nothing, or to say zero. */
        public static Update read(String sku, Level level) {
            return new Update(sku, level, true, List.of());
        }
    }

    /** Applies the updates in one request (after the transaction that made them committed). */
    public Uni<Void> record(Collection<Update> updates) {
        return send(updates, true);
    }

    /** Ends the order's claims (placing it failed); quietly, as every refused order would log it while Redis is away. */
    public Uni<Void> release(String orderId, Collection<String> skus) {
        return send(
                skus.stream().map(sku -> Update.decided(sku, List.of(orderId))).toList(), false);
    }

    private Uni<Void> send(Collection<Update> updates, boolean warn) {
        if (updates.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // units came back, or claims ended: this replica asks the gate again at the next order
        updates.forEach(update -> soldOutHints.remove(update.sku()));
        Request request = Request.cmd(Command.EVAL).arg(RECORD).arg(updates.size());
        updates.forEach(update -> request.arg(PREFIX + update.sku()));
        request.arg(gateTtlSeconds).arg(soldOutTtlSeconds);
        updates.forEach(update -> {
            request.arg(update.level() == null ? -1 : update.level().version())
                    .arg(update.level() == null ? 0 : update.level().available())
                    .arg(update.fromDatabase() ? 1 : 0)
                    .arg(update.decided().size());
            update.decided().forEach(request::arg);
        });
        Uni<?> sent = redis.send(request);
        if (warn) {
            // News of stock must reach the gate (a gate that misses it answers sold-out while units are left, or lets
            // buyers through after the end): tried again with backoff while Redis is busy. Applying an update twice
            // changes nothing (versions only move forward; a claim ends once).
            sent = sent.onFailure()
                    .retry()
                    .withBackOff(Duration.ofMillis(20), Duration.ofSeconds(1))
                    .expireIn(UPDATE_DEADLINE_MS);
        }
        return sent.onFailure()
                .invoke(e -> {
                    if (warn) {
                        LOG.warnf(
                                "Stock gate not updated within %d s (it converges at the SKU's next news or ttl): %s",
                                UPDATE_DEADLINE_MS / 1000, e.toString());
                    } else {
                        LOG.debugf("Stock gate claims not released: %s", e);
                    }
                })
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** The Redis key of a SKU's gate (tests and operators read it with HGETALL). */
    public static String key(String sku) {
        return PREFIX + sku;
    }
}
