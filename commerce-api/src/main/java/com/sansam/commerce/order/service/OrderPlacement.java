package com.sansam.commerce.order.service;

import com.sansam.commerce.account.mapping.UserMapper;
import com.sansam.commerce.account.model.ShippingAddress;
import com.sansam.commerce.catalog.service.StockGate;
import com.sansam.commerce.deal.service.DealStream;
import com.sansam.commerce.order.mapping.OrderMapper;
import com.sansam.commerce.order.model.OrderDtos.CreateOrder;
import com.sansam.commerce.order.model.OrderDtos.ItemRequest;
import com.sansam.commerce.order.model.OrderDtos.OrderView;
import com.sansam.runtime.db.PgErrors;
import com.sansam.runtime.outbox.OutboxRelay;
import com.sansam.runtime.problem.Refusal;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Placing orders: the hot path of a drop. One order per Idempotency-Key, the sold-out answer (the stock gate), and
 * the order with its ReserveStock command written in one statement ({@link NewOrders}: the price the buyer
 * saw, products on sale, the shipping address); an order of a deal is decided by {@link DealOrderPlacement}.
 * <p>
 * It runs on the reactive SQL client directly (what is on sale read, then the order, its lines and its command written
 * in one statement; no read-before and no read-after), because under a rush Hibernate Reactive's per-entity work was
 * most of the service's CPU.
 * Everything else about orders stays in {@link OrderService} on Hibernate Reactive.
 */
@ApplicationScoped
public class OrderPlacement {

    private final Pool pool;
    private final OutboxRelay relay;
    private final OrderStatusCache statusCache;
    private final StockGate gate;
    private final OrderService orders;
    private final DealStream dealStream;
    private final NewOrders newOrders;
    private final DealOrderPlacement dealOrders;

    private final IdempotencyKeys keys;

    public OrderPlacement(
            Pool pool,
            OutboxRelay relay,
            OrderStatusCache statusCache,
            StockGate gate,
            OrderService orders,
            DealStream dealStream,
            NewOrders newOrders,
            DealOrderPlacement dealOrders,
            IdempotencyKeys keys) {
        this.keys = keys;
        this.dealStream = dealStream;
        this.newOrders = newOrders;
        this.dealOrders = dealOrders;
        this.pool = pool;
        this.relay = relay;
        this.statusCache = statusCache;
        this.gate = gate;
        this.orders = orders;
    }

    /**
     * Same Idempotency-Key from the same user: the same order, never a second one. When the stock gate knows a SKU's
     * units are spoken for (sold out, or held by orders still being decided), the order is refused at once (409
     * {@code sold-out}) without a transaction.
     * <p>
     * There is no read before placing: a repeated key fails the insert (unique key) and answers the order placed
     * first; any other refusal of a repeated request (the price changed, sold out since) also answers that order. A
     * refusal of a key used for the first time ({@link IdempotencyKeys}) is answered as it is, without a read.
     */
    public Uni<OrderView> create(long userId, String idempotencyKey, CreateOrder request) {
        return create(userId, idempotencyKey, request, (Duration) null);
    }

    /**
     * {@link #create(long, String, CreateOrder)}, answered once the order is decided or {@code wait} has passed (a
     * POST's {@code Prefer: wait}; null: at once). The wait for the outcome is registered before the order exists,
     * so no announcement of it can come first and nothing needs to be read to be sure of that.
     */
    public Uni<OrderView> create(long userId, String idempotencyKey, CreateOrder request, Duration wait) {
        String orderId = NewOrders.newOrderId(Instant.now());
        OrderService.Decision decision = wait == null ? null : orders.decision(orderId, wait);
        return placeOnce(userId, idempotencyKey, request, orderId, decision == null)
                .onFailure()
                .invoke(() -> {
                    if (decision != null) {
                        decision.cancel();
                    }
                })
                .chain(placed -> decision == null ? Uni.createFrom().item(placed) : decision.of(userId, placed));
    }

    private Uni<OrderView> placeOnce(
            long userId, String idempotencyKey, CreateOrder request, String orderId, boolean cachePending) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 100) {
            return Uni.createFrom()
                    .failure(Refusal.invalid("Idempotency-Key", "An Idempotency-Key header (1-100 chars) is required"));
        }
        boolean fromCart = Boolean.TRUE.equals(request.fromCart());
        if (fromCart == (request.items() != null && !request.items().isEmpty())) {
            return Uni.createFrom().failure(Refusal.invalid("items", "Give either items or fromCart: true"));
        }
        // the key's mark goes out beside placing: only a refusal waits for it
        Uni<Boolean> first = OrderMeters.step("idempotency-key", keys.firstUse(userId, idempotencyKey))
                .memoize()
                .indefinitely();
        first.subscribe().with(marked -> {}, failure -> {});
        return place(userId, idempotencyKey, request, fromCart, orderId, cachePending)
                .onFailure()
                .recoverWithUni(failure -> first.chain(
                        firstUse -> (failure instanceof Refusal && !firstUse) || PgErrors.isUniqueViolation(failure)
                                ? answerTheFirst(userId, idempotencyKey, failure)
                                : Uni.createFrom().failure(failure)));
    }

    /** A refused or clashing request of a key that may have placed an order: that order, else the refusal. */
    private Uni<OrderView> answerTheFirst(long userId, String idempotencyKey, Throwable failure) {
        return placedBefore(userId, idempotencyKey)
                .chain(placed -> placed
                        ? orders.byIdempotencyKey(userId, idempotencyKey)
                        : Uni.createFrom().nullItem())
                .onItem()
                .ifNull()
                .failWith(() -> PgErrors.isUniqueViolation(failure)
                        ? Refusal.conflict("An order with this Idempotency-Key is being placed")
                        : failure);
    }

    /**
     * Whether this key placed an order already: one indexed read on the SQL client, because a rush refuses thousands
     * of requests and almost none of them is a repeat (the order itself is read only when there is one).
     */
    private Uni<Boolean> placedBefore(long userId, String idempotencyKey) {
        return pool.preparedQuery("select 1 from orders where user_id = $1 and idempotency_key = $2")
                .execute(Tuple.of(userId, idempotencyKey))
                .map(rows -> rows.size() > 0);
    }

    private static Refusal soldOut(String sku) {
        return Refusal.conflict("sold-out", "Sold out", "SKU " + sku + " is sold out", Map.of("sku", sku));
    }

    /** The gate refused: nothing left, or what is left is held by orders still being decided. */
    private static Refusal soldOut(StockGate.Admission refusal) {
        return refusal.available() <= 0
                ? soldOut(refusal.refusedSku())
                : Refusal.conflict(
                        "sold-out",
                        "Sold out",
                        "The last units of SKU " + refusal.refusedSku() + " are held by orders being placed",
                        Map.of("sku", refusal.refusedSku()));
    }

    /**
     * {@code cachePending}: cache the new order's first status for the status reads that follow (not when the request
     * waits for the decision: its buyer reads the decided status, which the decision caches, and a read that misses
     * meanwhile reads the database and caches what it found).
     */
    private Uni<OrderView> place(
            long userId,
            String idempotencyKey,
            CreateOrder request,
            boolean fromCart,
            String orderId,
            boolean cachePending) {
        long started = System.nanoTime();
        return OrderMeters.step("lines", requestedLines(userId, request, fromCart))
                .chain(items -> {
                    Long dealId = dealOf(items);
                    Map<String, Integer> wanted = items.values().stream()
                            .collect(Collectors.toMap(
                                    ItemRequest::sku, ItemRequest::quantity, Integer::sum, LinkedHashMap::new));
                    // the gate is for regular stock only: a deal's units are in the deal's pools
                    Map<String, Integer> gated = dealId == null ? wanted : Map.of();
                    return gate.admit(orderId, gated).chain(admission -> {
                        if (admission.refused()) {
                            return Uni.createFrom().failure(soldOut(admission));
                        }
                        Map<String, StockGate.Level> read = new HashMap<>();
                        ShippingAddress requested = request.shippingAddress() == null
                                ? null
                                : UserMapper.toEntity(request.shippingAddress());
                        return placeAdmitted(orderId, userId, idempotencyKey, requested, items, wanted, dealId, read)
                                // placing failed: the units claimed are free again at once
                                .onFailure()
                                .call(() -> gate.release(orderId, gated.keySet()))
                                // the gate knew nothing of some SKU: tell it what the database said
                                .call(() -> admission.unknown() == null
                                                || admission.unknown().isEmpty()
                                        ? Uni.createFrom().voidItem()
                                        : gate.record(admission.unknown().stream()
                                                .filter(read::containsKey)
                                                .map(sku -> StockGate.Update.read(sku, read.get(sku)))
                                                .toList()));
                    });
                })
                .invoke(() -> OrderMeters.placed(Duration.ofNanos(System.nanoTime() - started)))
                // the first status is cached without waiting: a status read that misses it reads the database
                .invoke(placed -> {
                    if (cachePending) {
                        statusCache.putQuietly(placed.order()).subscribe().with(cached -> {});
                    }
                })
                .invoke(relay::nudge)
                .invoke(placed -> dealStream.changed(placed.order().dealId))
                .map(placed -> OrderMapper.toView(placed.order(), placed.lines())); // no second read: it is all here
    }

    /** The order's one transaction; {@code read} receives the availability it saw per SKU (for the stock gate). */
    private Uni<NewOrders.Placed> placeAdmitted(
            String orderId,
            long userId,
            String idempotencyKey,
            ShippingAddress requestedAddress,
            Map<String, ItemRequest> items,
            Map<String, Integer> wanted,
            Long dealId,
            Map<String, StockGate.Level> read) {
        if (dealId != null) {
            return dealOrders.place(orderId, userId, idempotencyKey, requestedAddress, items, wanted, dealId);
        }
        // what is on sale is read, then the order written in one statement: no transaction of two round trips more
        // (the read took no locks inside one either: a price changed in between is the same race as before)
        return NewOrders.shippingAddress(userId, requestedAddress)
                .chain(address -> pool.preparedQuery(NewOrders.OFFERS)
                        .execute(Tuple.of(items.keySet().toArray(String[]::new)))
                        .chain(rows -> {
                            Map<String, NewOrders.Offer> offers = NewOrders.offers(rows, Map.of());
                            offers.values().forEach(offer -> {
                                if (offer.level() != null) {
                                    read.put(offer.sku(), offer.level());
                                }
                            });
                            List<String> gone = items.keySet().stream()
                                    .filter(sku -> offers.containsKey(sku)
                                            && Integer.valueOf(0)
                                                    .equals(offers.get(sku).available()))
                                    .toList();
                            if (!gone.isEmpty()) {
                                return gate.record(gone.stream()
                                                .map(sku -> StockGate.Update.read(sku, read.get(sku)))
                                                .toList())
                                        .chain(() -> Uni.createFrom().failure(soldOut(gone.get(0))));
                            }
                            NewOrders.Placed placed =
                                    newOrders.newOrder(orderId, userId, idempotencyKey, address, items, offers, null);
                            return newOrders.insert(pool, placed);
                        }));
    }

    /** The deal all lines are bought from, or null when none names one; lines of a deal cannot be mixed with others. */
    private static Long dealOf(Map<String, ItemRequest> items) {
        java.util.Set<Long> deals = items.values().stream()
                .map(i -> i.dealId() == null ? 0L : i.dealId())
                .collect(Collectors.toSet());
        if (deals.size() > 1) {
            throw Refusal.invalid("items", "An order holds the lines of one deal, or no deal lines at all");
        }
        long deal = deals.iterator().next();
        return deal == 0L ? null : deal;
    }

    /** SKU → (quantity, price seen), from the request or the cart, in the order given. */
    private Uni<Map<String, ItemRequest>> requestedLines(long userId, CreateOrder request, boolean fromCart) {
        if (!fromCart) {
            Map<String, ItemRequest> items = new LinkedHashMap<>();
            for (ItemRequest item : request.items()) {
                if (items.putIfAbsent(item.sku(), item) != null) {
                    return Uni.createFrom().failure(Refusal.invalid("items", "SKU " + item.sku() + " appears twice"));
                }
            }
            return Uni.createFrom().item(items);
        }
        return pool.preparedQuery("select sku, quantity from cart_item where user_id = $1 order by id")
                .execute(Tuple.of(userId))
                .map(cart -> {
                    if (cart.size() == 0) {
                        throw Refusal.invalid("fromCart", "The cart is empty");
                    }
                    Map<String, Long> prices = request.cartPrices() == null ? Map.of() : request.cartPrices();
                    Map<String, ItemRequest> items = new LinkedHashMap<>();
                    for (Row item : cart) {
                        String sku = item.getString("sku");
                        Long seen = prices.get(sku);
                        if (seen == null) {
                            throw Refusal.invalid("cartPrices", "cartPrices lacks the price seen for " + sku);
                        }
                        items.put(sku, new ItemRequest(sku, item.getInteger("quantity"), seen));
                    }
                    return items;
                });
    }
}
