package com.sansam.commerce.order.service;

import com.sansam.commerce.account.model.User;
import com.sansam.commerce.account.rest.AccountDtos.AddressDto;
import com.sansam.commerce.cart.model.CartItem;
import com.sansam.commerce.catalog.model.Product;
import com.sansam.commerce.catalog.model.ProductOption;
import com.sansam.commerce.catalog.service.SoldOutGate;
import com.sansam.commerce.order.config.OrderConfig;
import com.sansam.commerce.order.mapping.OrderMapper;
import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderLine;
import com.sansam.commerce.order.model.OrderStatus;
import com.sansam.commerce.order.rest.OrderDtos.CreateOrder;
import com.sansam.commerce.order.rest.OrderDtos.ItemRequest;
import com.sansam.commerce.order.rest.OrderDtos.OrderPage;
import com.sansam.commerce.order.rest.OrderDtos.OrderView;
import com.sansam.commerce.order.rest.OrderDtos.StatusView;
import com.sansam.contracts.Messages;
import com.sansam.contracts.StockCommands;
import com.sansam.contracts.outbox.Outbox;
import com.sansam.contracts.outbox.OutboxRelay;
import com.sansam.contracts.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Placing, reading and dropping orders; every status change goes through {@link Order#transition}. */
@ApplicationScoped
public class OrderService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final Outbox outbox;
    private final OutboxRelay relay;
    private final OrderStatusCache statusCache;
    private final OrderConfig config;
    private final SoldOutGate soldOut;

    public OrderService(Outbox outbox, OutboxRelay relay, OrderStatusCache statusCache, OrderConfig config, SoldOutGate soldOut) {
        this.soldOut = soldOut;
        this.outbox = outbox;
        this.relay = relay;
        this.statusCache = statusCache;
        this.config = config;
    }

    /**
     * Same Idempotency-Key from the same user: the same order, never a second one. A SKU known to be sold out is
     * refused at once (409 {@code sold-out}) without a transaction.
     * <p>
     * There is no read before placing: a repeated key fails the insert (unique key) and answers the order placed
     * first; any other refusal of a repeated request (the price changed, sold out since) also answers that order.
     */
    public Uni<OrderView> create(long userId, String idempotencyKey, CreateOrder request) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 100) {
            return Uni.createFrom().failure(ApiException.badRequest("Idempotency-Key", "An Idempotency-Key header (1-100 chars) is required"));
        }
        boolean fromCart = Boolean.TRUE.equals(request.fromCart());
        if (fromCart == (request.items() != null && !request.items().isEmpty())) {
            return Uni.createFrom().failure(ApiException.badRequest("items", "Give either items or fromCart: true"));
        }
        List<String> skus = fromCart ? List.of() : request.items().stream().map(ItemRequest::sku).toList();
        return soldOut.firstSoldOut(skus)
                .chain(sku -> sku == null ? place(userId, idempotencyKey, request, fromCart) : Uni.createFrom().failure(soldOut(sku)))
                .onFailure(failure -> failure instanceof ApiException || isUniqueViolation(failure))
                .recoverWithUni(failure -> existing(userId, idempotencyKey)
                        .onItem().ifNull().failWith(() -> isUniqueViolation(failure)
                                ? ApiException.conflict("An order with this Idempotency-Key is being placed") : failure));
    }

    private static ApiException soldOut(String sku) {
        return ApiException.conflict("sold-out", "Sold out", "SKU " + sku + " is sold out", Map.of("sku", sku));
    }

    private Uni<OrderView> existing(long userId, String idempotencyKey) {
        return Panache.withSession(() -> Order.<Order>find("userId = ?1 and idempotencyKey = ?2", userId, idempotencyKey)
                .firstResult().chain(order -> order == null ? Uni.createFrom().nullItem() : view(order)));
    }

    /** One option as placing an order needs it: its product and the availability last heard from the stock-worker. */
    private record Offer(ProductOption option, Product product, Integer available) {
    }

    private Uni<OrderView> place(long userId, String idempotencyKey, CreateOrder request, boolean fromCart) {
        return Panache.withTransaction(() -> requestedLines(userId, request, fromCart).chain(items ->
                        Panache.getSession().chain(session -> session.createSelectionQuery("""
                                        select o, p, a.available from ProductOption o join Product p on p.id = o.productId
                                        left join SkuAvailability a on a.sku = o.sku where o.sku in (:skus)""", Object[].class)
                                .setParameter("skus", items.keySet()).getResultList())
                                .chain(rows -> {
                                    Map<String, Offer> offers = rows.stream().collect(Collectors.toMap(row -> ((ProductOption) row[0]).sku,
                                            row -> new Offer((ProductOption) row[0], (Product) row[1], (Integer) row[2])));
                                    List<String> gone = items.keySet().stream()
                                            .filter(sku -> offers.containsKey(sku) && Integer.valueOf(0).equals(offers.get(sku).available()))
                                            .toList();
                                    if (!gone.isEmpty()) {
                                        return soldOut.markSoldOut(gone).chain(() -> Uni.createFrom().failure(soldOut(gone.get(0))));
                                    }
                                    return shippingAddress(userId, request.shippingAddress())
                                            .chain(address -> persist(userId, idempotencyKey, address, items, offers));
                                })))
                .call(placed -> statusCache.put(placed.order()))
                .invoke(relay::nudge)
                .map(placed -> OrderMapper.toView(placed.order(), placed.lines())); // no second read: it is all here
    }

    /** The address given, or else the one in the profile (read only then). */
    private static Uni<AddressDto> shippingAddress(long userId, AddressDto requested) {
        if (requested != null) {
            return Uni.createFrom().item(requested);
        }
        return User.<User>findById(userId).map(user -> {
            AddressDto address = user == null ? null : profileAddress(user);
            if (address == null) {
                throw ApiException.badRequest("shippingAddress", "No shipping address given and none in the profile");
            }
            return address;
        });
    }

    /** An order as it was committed, with its lines. */
    private record Placed(Order order, List<OrderLine> lines) {
    }

    /** SKU → (quantity, price seen), from the request or the cart, in the order given. */
    private static Uni<Map<String, ItemRequest>> requestedLines(long userId, CreateOrder request, boolean fromCart) {
        if (!fromCart) {
            Map<String, ItemRequest> items = new LinkedHashMap<>();
            for (ItemRequest item : request.items()) {
                if (items.putIfAbsent(item.sku(), item) != null) {
                    throw ApiException.badRequest("items", "SKU " + item.sku() + " appears twice");
                }
            }
            return Uni.createFrom().item(items);
        }
        return CartItem.<CartItem>list("userId = ?1 order by id", userId).map(cart -> {
            if (cart.isEmpty()) {
                throw ApiException.badRequest("fromCart", "The cart is empty");
            }
            Map<String, Long> prices = request.cartPrices() == null ? Map.of() : request.cartPrices();
            Map<String, ItemRequest> items = new LinkedHashMap<>();
            for (CartItem item : cart) {
                Long seen = prices.get(item.sku);
                if (seen == null) {
                    throw ApiException.badRequest("cartPrices", "cartPrices lacks the price seen for " + item.sku);
                }
                items.put(item.sku, new ItemRequest(item.sku, item.quantity, seen));
            }
            return items;
        });
    }

    private Uni<Placed> persist(long userId, String idempotencyKey, AddressDto address, Map<String, ItemRequest> items,
                               Map<String, Offer> offers) {
        List<OrderLine> lines = new ArrayList<>();
        long amount = 0;
        for (ItemRequest item : items.values()) {
            Offer offer = offers.get(item.sku());
            ProductOption option = offer == null ? null : offer.option();
            Product product = offer == null ? null : offer.product();
            if (product == null || !product.isActive()) {
                throw ApiException.badRequest("items", "No SKU " + item.sku() + " on sale");
            }
            if (product.price != item.price()) {
                throw ApiException.conflict("The price of " + item.sku() + " changed",
                        Map.of("sku", item.sku(), "currentPrice", product.price, "seenPrice", item.price()));
            }
            OrderLine line = new OrderLine();
            line.productId = product.id;
            line.sku = item.sku();
            line.productName = product.name;
            line.optionLabel = label(option);
            line.unitPrice = product.price;
            line.quantity = item.quantity();
            lines.add(line);
            amount += product.price * item.quantity();
        }
        Instant now = Instant.now();
        Order order = new Order();
        order.orderId = newOrderId(now);
        order.userId = userId;
        order.idempotencyKey = idempotencyKey;
        order.status = OrderStatus.PENDING;
        order.orderName = lines.get(0).productName + (lines.size() > 1 ? " 외 " + (lines.size() - 1) + "건" : "");
        order.amount = amount;
        order.shipRecipient = address.recipient();
        order.shipPhone = address.phone();
        order.shipZipCode = address.zipCode();
        order.shipAddress1 = address.address1();
        order.shipAddress2 = address.address2();
        order.createdAt = now;
        order.updatedAt = now;
        order.expiresAt = now.plus(config.unpaidTtl());
        List<StockCommands.Line> stockLines = lines.stream().map(l -> new StockCommands.Line(l.sku, l.quantity)).toList();
        return order.<Order>persist()
                .call(saved -> {
                    lines.forEach(l -> l.orderPk = saved.id);
                    return OrderLine.persist(lines);
                })
                .call(saved -> outbox.add(Messages.STOCK_COMMANDS_EXCHANGE, "order", saved.orderId,
                        new StockCommands.ReserveStock(saved.orderId, stockLines, saved.expiresAt)))
                .map(saved -> new Placed(saved, lines));
    }

    public Uni<OrderView> get(long userId, boolean admin, String orderId) {
        return Panache.withSession(() -> visible(userId, admin, orderId).chain(this::view));
    }

    /**
     * Like {@link #status(long, boolean, String)}, but while the status is {@code waitWhile} the answer waits (at
     * most {@code wait}) for it to change: a buyer learns the outcome of an order the moment it is decided, with
     * one request instead of polling.
     */
    public Uni<StatusView> awaitStatus(long userId, boolean admin, String orderId, OrderStatus waitWhile, Duration wait) {
        if (wait.isNegative() || wait.compareTo(config.maxStatusWait()) > 0) {
            return Uni.createFrom().failure(ApiException.badRequest("wait",
                    "wait must be 0 to " + config.maxStatusWait().toSeconds() + " seconds"));
        }
        return status(userId, admin, orderId).chain(now -> {
            if (waitWhile == null || now.status() != waitWhile || wait.isZero()) {
                return Uni.createFrom().item(now);
            }
            CompletableFuture<Void> changed = statusCache.nextChange(orderId, wait); // first register, then look again
            return status(userId, admin, orderId).chain(again -> again.status() != waitWhile
                    ? Uni.createFrom().item(again).invoke(() -> changed.cancel(false))
                    : Uni.createFrom().completionStage(changed)
                    .onFailure(java.util.concurrent.TimeoutException.class).recoverWithNull()
                    .chain(() -> status(userId, admin, orderId)));
        });
    }

    /** Served from Redis; the database answers when Redis misses or is down. */
    public Uni<StatusView> status(long userId, boolean admin, String orderId) {
        return statusCache.get(orderId).chain(entry -> {
            if (entry != null) {
                if (entry.userId() != userId && !admin) {
                    throw ApiException.notFound("No order " + orderId);
                }
                return Uni.createFrom().item(new StatusView(orderId, entry.status()));
            }
            return Panache.withSession(() -> visible(userId, admin, orderId))
                    .call(statusCache::put)
                    .map(order -> new StatusView(order.orderId, order.status));
        });
    }

    /** The caller's orders, newest first; {@code cursor} is the last order's internal position. */
    public Uni<OrderPage> list(Long userId, OrderStatus status, Long cursor, int size) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (userId != null) {
            where.append(" and userId = :user");
            params.and("user", userId);
        }
        if (status != null) {
            where.append(" and status = :status");
            params.and("status", status);
        }
        if (cursor != null) {
            where.append(" and id < :cursor");
            params.and("cursor", cursor);
        }
        return Panache.withSession(() -> Order.<Order>find(where + " order by id desc", params).page(Page.ofSize(size + 1)).list()
                .chain(orders -> {
                    boolean more = orders.size() > size;
                    List<Order> page = more ? orders.subList(0, size) : orders;
                    return views(page).map(items -> new OrderPage(items, more ? Long.toString(page.get(page.size() - 1).id) : null));
                }));
    }

    /** Deletes an unpaid order sheet: it becomes CANCELLED and its reservation is released. */
    public Uni<Void> discard(long userId, boolean admin, String orderId) {
        return Panache.withTransaction(() -> visible(userId, admin, orderId).chain(order -> Order.lockByOrderId(order.orderId))
                        .call(order -> {
                            if (!order.status.isUnpaidOpen()) {
                                throw ApiException.conflict("Only an unpaid order can be deleted; this one is " + order.status,
                                        Map.of("status", order.status.name()));
                            }
                            return releaseUnpaid(order, "order deleted");
                        }))
                .call(statusCache::put)
                .invoke(relay::nudge)
                .replaceWithVoid();
    }

    /** Cancels an unpaid order and sends its reservation back (call with the order locked, in a transaction). */
    Uni<Void> releaseUnpaid(Order order, String reason) {
        order.transition(OrderStatus.CANCELLED);
        return outbox.add(Messages.STOCK_COMMANDS_EXCHANGE, "order", order.orderId,
                new StockCommands.ReleaseReservation(order.orderId, reason)).replaceWithVoid();
    }

    /** The order when the caller owns it (or is an admin); otherwise 404, never 403, so ids leak nothing. */
    static Uni<Order> visible(long userId, boolean admin, String orderId) {
        return Order.byOrderId(orderId).map(order -> {
            if (order == null || (!admin && order.userId != userId)) {
                throw ApiException.notFound("No order " + orderId);
            }
            return order;
        });
    }

    Uni<OrderView> view(Order order) {
        return OrderLine.of(order.id).map(lines -> OrderMapper.toView(order, lines));
    }

    private static Uni<List<OrderView>> views(List<Order> orders) {
        if (orders.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return OrderLine.<OrderLine>list("orderPk in ?1 order by id", orders.stream().map(o -> o.id).toList()).map(lines -> {
            Map<Long, List<OrderLine>> byOrder = lines.stream().collect(Collectors.groupingBy(l -> l.orderPk));
            return orders.stream().map(o -> OrderMapper.toView(o, byOrder.getOrDefault(o.id, List.of()))).toList();
        });
    }

    private static AddressDto profileAddress(User user) {
        if (user.shippingAddress == null || user.shippingAddress.address1 == null) {
            return null;
        }
        return new AddressDto(user.shippingAddress.recipient, user.shippingAddress.phone, user.shippingAddress.zipCode,
                user.shippingAddress.address1, user.shippingAddress.address2);
    }

    private static String label(ProductOption option) {
        String label = java.util.stream.Stream.of(option.color, option.size).filter(s -> s != null && !s.isBlank())
                .collect(Collectors.joining(" / "));
        return label.isEmpty() ? null : label;
    }

    /** A racing request with the same Idempotency-Key inserted first (PostgreSQL unique_violation). */
    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException violation
                    && (violation.getKind() == org.hibernate.exception.ConstraintViolationException.ConstraintKind.UNIQUE
                    || String.valueOf(violation.getMessage()).contains("(23505)"))) {
                return true;
            }
        }
        return false;
    }

    /** e.g. ORD-20261125-K7M2Q9XW4PTA: 6-64 letters, digits and '-', as Toss requires. */
    private static String newOrderId(Instant now) {
        StringBuilder id = new StringBuilder("ORD-").append(DAY.format(now)).append('-');
        for (int i = 0; i < 12; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
