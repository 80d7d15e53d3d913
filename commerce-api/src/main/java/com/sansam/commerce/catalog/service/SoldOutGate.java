package com.sansam.commerce.catalog.service;

import com.sansam.commerce.catalog.config.CatalogConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Command;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Which SKUs are known to be sold out, in Redis, so that a rush on a sold-out SKU is answered at once (409
 * {@code sold-out}) without a database transaction or a reservation round trip. Fed from the stock-worker's
 * StockChanged events after they are committed, and re-armed by order placement when the database says zero.
 * <p>
 * It is never the source of truth: the stock-worker still decides every reservation. A mark can only be stale
 * towards "sold out" for as long as the news of a restock takes to arrive, or at most
 * {@code sansam.catalog.sold-out-mark-ttl}; without Redis, every order simply goes the full way.
 */
@ApplicationScoped
public class SoldOutGate {

    private static final Logger LOG = Logger.getLogger(SoldOutGate.class);
    private static final String PREFIX = "sansam:sold-out:";

    private final ReactiveRedisDataSource redis;
    private final Redis lowLevel;
    private final long ttlSeconds;

    public SoldOutGate(ReactiveRedisDataSource redis, Redis lowLevel, CatalogConfig config) {
        this.redis = redis;
        this.lowLevel = lowLevel;
        this.ttlSeconds = Math.max(1, config.soldOutMarkTtl().toSeconds());
    }

    /** The first of the SKUs marked sold out, or null (also when Redis cannot answer). */
    public Uni<String> firstSoldOut(List<String> skus) {
        if (skus.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return redis.value(String.class).mget(skus.stream().map(sku -> PREFIX + sku).toArray(String[]::new))
                .map(marks -> skus.stream().filter(sku -> marks.get(PREFIX + sku) != null).findFirst().orElse(null))
                .onFailure().invoke(e -> LOG.debugf("Sold-out marks unavailable: %s", e))
                .onFailure().recoverWithNull();
    }

    /** Marks SKUs at zero sold out and clears the others (committed availability, by SKU), in one pipelined request. */
    public Uni<Void> record(Map<String, Integer> available) {
        if (available.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Request> requests = available.entrySet().stream().<Request>map(entry -> entry.getValue() <= 0
                ? Request.cmd(Command.SETEX).arg(PREFIX + entry.getKey()).arg(ttlSeconds).arg("0")
                : Request.cmd(Command.DEL).arg(PREFIX + entry.getKey())).toList();
        return lowLevel.batch(requests)
                .onFailure().invoke(e -> LOG.warnf("Sold-out marks not updated: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Marks the SKUs sold out (the database said so while placing an order). */
    public Uni<Void> markSoldOut(Collection<String> skus) {
        return record(skus.stream().collect(java.util.stream.Collectors.toMap(sku -> sku, sku -> 0, (a, b) -> a)));
    }
}
