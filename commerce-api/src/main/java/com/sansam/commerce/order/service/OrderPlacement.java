package com.sansam.commerce.order.service;

import com.sansam.commerce.account.mapping.UserMapper;
import com.sansam.commerce.account.model.ShippingAddress;
import com.sansam.commerce.account.model.User;
import com.sansam.commerce.catalog.service.StockGate;
import com.sansam.commerce.deal.config.DealConfig;
import com.sansam.commerce.deal.service.DealPurchases;
import com.sansam.commerce.deal.service.DealStream;
import com.sansam.commerce.order.config.OrderConfig;
import com.sansam.commerce.order.mapping.OrderMapper;
import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderDtos.CreateOrder;
import com.sansam.commerce.order.model.OrderDtos.ItemRequest;
import com.sansam.commerce.order.model.OrderDtos.OrderView;
import com.sansam.commerce.order.model.OrderLine;
import com.sansam.commerce.order.model.OrderStatus;
import com.sansam.messages.StockCommands;
import com.sansam.runtime.db.PgErrors;
import com.sansam.runtime.db.Pipelined;
import com.sansam.runtime.outbox.Outbox;
import com.sansam.runtime.outbox.OutboxRelay;
import com.sansam.runtime.problem.ApiException;
import com.sansam.runtime.tracing.MessageTraces;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Placing orders: the hot path of a drop. Every rule of a new order is here: the price the buyer saw, products
 * on sale, the shipping address, one order per Idempotency-Key, the sold-out answer, and the ReserveStock command
 * written to the outbox in the same transaction as the order.
 * <p>
 * It runs on the reactive SQL client directly (one read and two writes in one short transaction, no read-before
 * and no read-after), because under a rush Hibernate Reactive's per-entity work was most of the service's CPU.
 * Everything else about orders stays in {@link OrderService} on Hibernate Reactive.
 */
@ApplicationScoped
public class OrderPlacement {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /** The options named by an order, with their product and the availability last heard from the stock-worker. */
    private static final String OFFERS = """
            select o.sku, o.size, o.color, p.id as product_id, p.name, p.price, p.status, a.available, a.version
            from product_option o join product p on p.id = o.product_id
            left join sku_availability a on a.sku = o.sku
            where o.sku = any($1)""";

    /** The order and its lines in one statement; answers the order's key once per line. */
    private static final String INSERT_ORDER = """
            with o as (
                insert into orders (order_id, user_id, idempotency_key, status, order_name, amount, ship_recipient, ship_phone,
                                    ship_zip_code, ship_address1, ship_address2, expires_at, created_at, updated_at, deal_id,
                                    trace_parent, buyer_phone)
                values ($1, $2, $3, 'PENDING', $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $19, $20, $21)
                returning id)
            insert into order_line (order_pk, product_id, sku, product_name, option_label, unit_price, quantity)
            select o.id, l.product_id, l.sku, l.product_name, l.option_label, l.unit_price, l.quantity
            from o, unnest($13::bigint[], $14::text[], $15::text[], $16::text[], $17::bigint[], $18::int[]) with ordinality
                 as l(product_id, sku, product_name, option_label, unit_price, quantity, n)
            order by l.n
            returning order_pk""";

    /**
     * A deal's order, its lines and its ReserveStock command, written only when the deal's rules admit it
     * ({@link DealPurchases#VERDICT}, whose $1 to $6 it binds), the waiting room's pass used with it; answers the rows
     * that explain the verdict, and the order's key when it was written. Runs right after the deal's row lock.
     */
    private static final String PLACE_IN_DEAL = DealPurchases.VERDICT + ",\n" + DealPurchases.USE_PASS
            + """
            ,
            o as (
                insert into orders (order_id, user_id, idempotency_key, status, order_name, amount, ship_recipient, ship_phone,
                                    ship_zip_code, ship_address1, ship_address2, expires_at, created_at, updated_at, deal_id,
                                    trace_parent, buyer_phone)
                select $7::text, $2, $8::text, 'PENDING', $9::text, $10::bigint, $11::text, $12::text, $13::text, $14::text,
                       $15::text, $16::timestamptz, $17::timestamptz, $17::timestamptz, $1, $18::text,
                       (select buyer_phone from verdict)
                where (select ok from ok)
                returning id),
            ol as (
                insert into order_line (order_pk, product_id, sku, product_name, option_label, unit_price, quantity)
                select o.id, l.product_id, l.sku, l.product_name, l.option_label, l.unit_price, l.quantity
                from o, unnest($19::bigint[], $20::text[], $21::text[], $22::text[], $23::bigint[], $24::int[]) with ordinality
                     as l(product_id, sku, product_name, option_label, unit_price, quantity, n)
                order by l.n),
            m as (insert into outbox %s)
            select r.*, (select id from o) as order_pk from (%s) r""".formatted(Outbox.selectFrom(25, ", o"), DealPurchases.VERDICT_ROWS);

    private final Pool pool;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final OrderStatusCache statusCache;
    private final OrderConfig config;
    private final StockGate gate;
    private final OrderService orders;
    private final DealPurchases deals;
    private final DealStream dealStream;
    private final DealConfig dealConfig;

    private final IdempotencyKeys keys;

    public OrderPlacement(
            Pool pool,
            Outbox outbox,
            OutboxRelay relay,
            OrderStatusCache statusCache,
            OrderConfig config,
            StockGate gate,
            OrderService orders,
            DealPurchases deals,
            DealStream dealStream,
            DealConfig dealConfig,
            IdempotencyKeys keys) {
        this.keys = keys;
        this.deals = deals;
        this.dealStream = dealStream;
        this.dealConfig = dealConfig;
        this.pool = pool;
        this.outbox = outbox;
        this.relay = relay;
        this.statusCache = statusCache;
        this.config = config;
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
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 100) {
            return Uni.createFrom()
                    .failure(ApiException.badRequest(
                            "Idempotency-Key", "An Idempotency-Key header (1-100 chars) is required"));
        }
        boolean fromCart = Boolean.TRUE.equals(request.fromCart());
        if (fromCart == (request.items() != null && !request.items().isEmpty())) {
            return Uni.createFrom().failure(ApiException.badRequest("items", "Give either items or fromCart: true"));
        }
        return keys.firstUse(userId, idempotencyKey)
                .chain(first -> place(userId, idempotencyKey, request, fromCart)
                        .onFailure(failure ->
                                (failure instanceof ApiException && !first) || PgErrors.isUniqueViolation(failure))
                        .recoverWithUni(failure -> placedBefore(userId, idempotencyKey)
                                .chain(placed -> placed
                                        ? orders.byIdempotencyKey(userId, idempotencyKey)
                                        : Uni.createFrom().nullItem())
                                .onItem()
                                .ifNull()
                                .failWith(() -> PgErrors.isUniqueViolation(failure)
                                        ? ApiException.conflict("An order with this Idempotency-Key is being placed")
                                        : failure)));
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

    private static ApiException soldOut(String sku) {
        return ApiException.conflict("sold-out", "Sold out", "SKU " + sku + " is sold out", Map.of("sku", sku));
    }

    /** The gate refused: nothing left, or what is left is held by orders still being decided. */
    private static ApiException soldOut(StockGate.Admission refusal) {
        return refusal.available() <= 0
                ? soldOut(refusal.refusedSku())
                : ApiException.conflict(
                        "sold-out",
                        "Sold out",
                        "The last units of SKU " + refusal.refusedSku() + " are held by orders being placed",
                        Map.of("sku", refusal.refusedSku()));
    }

    /** One option as placing an order needs it. */
    private record Offer(
            String sku,
            long productId,
            String productName,
            long price,
            boolean onSale,
            String label,
            Integer available,
            Long version) {

        static Offer of(Row row) {
            String label = Stream.of(row.getString("color"), row.getString("size"))
                    .filter(s -> s != null && !s.isBlank())
                    .collect(Collectors.joining(" / "));
            return new Offer(
                    row.getString("sku"),
                    row.getLong("product_id"),
                    row.getString("name"),
                    row.getLong("price"),
                    "ACTIVE".equals(row.getString("status")),
                    label.isEmpty() ? null : label,
                    row.getInteger("available"),
                    row.getLong("version"));
        }

        /** The offer at a deal's price, when the deal prices this SKU. */
        Offer at(Map<String, Long> dealPrices) {
            Long dealPrice = dealPrices.get(sku);
            return dealPrice == null
                    ? this
                    : new Offer(sku, productId, productName, dealPrice, onSale, label, available, version);
        }

        /** The availability placing read, for the stock gate (null: the stock-worker has not spoken of it yet). */
        StockGate.Level level() {
            return available == null || version == null ? null : new StockGate.Level(available, version);
        }
    }

    /** An order as it was committed, with its lines. */
    record Placed(Order order, List<OrderLine> lines) {}

    private Uni<OrderView> place(long userId, String idempotencyKey, CreateOrder request, boolean fromCart) {
        long started = System.nanoTime();
        String orderId = newOrderId(Instant.now());
        return requestedLines(userId, request, fromCart)
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
                .call(placed -> statusCache.put(placed.order()))
                .invoke(relay::nudge)
                .invoke(placed -> dealStream.changed(placed.order().dealId))
                .map(placed -> OrderMapper.toView(placed.order(), placed.lines())); // no second read: it is all here
    }

    /** The order's one transaction; {@code read} receives the availability it saw per SKU (for the stock gate). */
    private Uni<Placed> placeAdmitted(
            String orderId,
            long userId,
            String idempotencyKey,
            ShippingAddress requestedAddress,
            Map<String, ItemRequest> items,
            Map<String, Integer> wanted,
            Long dealId,
            Map<String, StockGate.Level> read) {
        if (dealId != null) {
            return placeInDeal(orderId, userId, idempotencyKey, requestedAddress, items, wanted, dealId);
        }
        return shippingAddress(userId, requestedAddress)
                .chain(address -> pool.withTransaction(connection -> connection
                        .preparedQuery(OFFERS)
                        .execute(Tuple.of(items.keySet().toArray(String[]::new)))
                        .chain(rows -> {
                            Map<String, Offer> offers = offers(rows, Map.of());
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
                            Placed placed = newOrder(orderId, userId, idempotencyKey, address, items, offers, null);
                            return insert(connection, placed);
                        })));
    }

    private static Map<String, Offer> offers(RowSet<Row> rows, Map<String, Long> dealPrices) {
        Map<String, Offer> offers = new HashMap<>();
        rows.forEach(row -> offers.put(row.getString("sku"), Offer.of(row).at(dealPrices)));
        return offers;
    }

    /**
     * An order of a deal. A deal's refusals (sold out, not started, limit, no pass) come at once, before any lock is
     * waited for: from what this replica saw a moment ago (no I/O), else from {@link DealPurchases#precheck}. Then the
     * deal's row lock and the statement that checks the rules again and writes the order are sent together with the
     * transaction's begin and commit ({@link Pipelined}): the lock that orders all buyers of the deal is held for the
     * server's work only, never for a round trip to this busy service.
     */
    private Uni<Placed> placeInDeal(
            String orderId,
            long userId,
            String idempotencyKey,
            ShippingAddress requestedAddress,
            Map<String, ItemRequest> items,
            Map<String, Integer> wanted,
            long dealId) {
        Map<String, Long> seen = new HashMap<>();
        items.values().forEach(item -> seen.put(item.sku(), item.price()));
        DealPurchases.Wanted want = new DealPurchases.Wanted(wanted, seen);
        // the three reads go out together (each on a connection of its own); a refusal by the deal's rules comes
        // first, then a missing address, as when they were read one after the other
        return Uni.combine()
                .all()
                .unis(
                        settled(deals.precheck(pool, dealId, userId, want)),
                        settled(shippingAddress(userId, requestedAddress)),
                        settled(pool.preparedQuery(OFFERS)
                                .execute(Tuple.of(items.keySet().toArray(String[]::new)))))
                .with(results -> results)
                .map(read -> {
                    read.stream()
                            .filter(Throwable.class::isInstance)
                            .findFirst()
                            .ifPresent(failure -> {
                                throw failure instanceof RuntimeException unchecked
                                        ? unchecked
                                        : new IllegalStateException((Throwable) failure);
                            });
                    DealPurchases.Admission admission = (DealPurchases.Admission) read.get(0);
                    @SuppressWarnings("unchecked")
                    RowSet<Row> rows = (RowSet<Row>) read.get(2);
                    Placed placed = newOrder(
                            orderId,
                            userId,
                            idempotencyKey,
                            (ShippingAddress) read.get(1),
                            items,
                            offers(rows, admission.prices()),
                            dealId);
                    placed.order().buyerPhone = admission.buyerPhone();
                    return placed;
                })
                .chain(placed -> {
                    Instant now = deals.now();
                    Tuple params = placeInDealParams(DealPurchases.params(dealId, userId, now, want), placed);
                    return pool.withConnection(connection -> Pipelined.transaction(
                                    connection,
                                    List.of(
                                            new Pipelined.Statement(DealPurchases.LOCK, Tuple.of(dealId)),
                                            new Pipelined.Statement(PLACE_IN_DEAL, params))))
                            .map(rows -> {
                                Long pk = rows.iterator().next().getLong("order_pk");
                                if (pk == null) {
                                    deals.decide(rows, dealId, now, want); // throws the refusal
                                }
                                rows.forEach(row -> deals.learnt(
                                        dealId,
                                        row.getString("sku"),
                                        row.getInteger("remaining") - row.getInteger("qty")));
                                placed.order().id = pk;
                                placed.lines().forEach(line -> line.orderPk = pk);
                                return placed;
                            });
                });
    }

    /** The answer, or its failure as an item. */
    private static <T> Uni<Object> settled(Uni<T> read) {
        return read.map(answer -> (Object) answer).onFailure().recoverWithItem(failure -> failure);
    }

    /** {@link #PLACE_IN_DEAL}'s parameters after the deal's: the order, its lines, its ReserveStock command. */
    private Tuple placeInDealParams(Tuple params, Placed placed) {
        Order order = placed.order();
        List<OrderLine> lines = placed.lines();
        params.addString(order.orderId).addString(order.idempotencyKey);
        addNameToCreated(params, order);
        params.addString(MessageTraces.current());
        addLines(params, lines);
        outbox.columns(List.of(reserve(order, lines))).forEach(params::addValue);
        return params;
    }

    /** The order's columns both inserts take in this order: name, amount, shipping address, expiry, creation. */
    private static void addNameToCreated(Tuple values, Order order) {
        values.addString(order.orderName)
                .addLong(order.amount)
                .addString(order.shipRecipient)
                .addString(order.shipPhone)
                .addString(order.shipZipCode)
                .addString(order.shipAddress1)
                .addString(order.shipAddress2)
                .addValue(order.expiresAt.atOffset(ZoneOffset.UTC))
                .addValue(order.createdAt.atOffset(ZoneOffset.UTC));
    }

    /** The order lines as the six arrays both inserts take. */
    private static void addLines(Tuple values, List<OrderLine> lines) {
        values.addValue(lines.stream().map(l -> l.productId).toArray(Long[]::new))
                .addValue(lines.stream().map(l -> l.sku).toArray(String[]::new))
                .addValue(lines.stream().map(l -> l.productName).toArray(String[]::new))
                .addValue(lines.stream().map(l -> l.optionLabel).toArray(String[]::new))
                .addValue(lines.stream().map(l -> l.unitPrice).toArray(Long[]::new))
                .addValue(lines.stream().map(l -> l.quantity).toArray(Integer[]::new));
    }

    /** The order's ReserveStock command. */
    private static Outbox.Pending reserve(Order order, List<OrderLine> lines) {
        List<StockCommands.Line> stockLines = order.stockLines(lines.stream()
                .map(l -> new StockCommands.Line(l.sku, l.quantity))
                .toList());
        return order.stockCommand(new StockCommands.ReserveStock(order.orderId, stockLines, order.expiresAt));
    }

    /** The deal all lines are bought from, or null when none names one; lines of a deal cannot be mixed with others. */
    private static Long dealOf(Map<String, ItemRequest> items) {
        java.util.Set<Long> deals = items.values().stream()
                .map(i -> i.dealId() == null ? 0L : i.dealId())
                .collect(Collectors.toSet());
        if (deals.size() > 1) {
            throw ApiException.badRequest("items", "An order holds the lines of one deal, or no deal lines at all");
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
                    return Uni.createFrom()
                            .failure(ApiException.badRequest("items", "SKU " + item.sku() + " appears twice"));
                }
            }
            return Uni.createFrom().item(items);
        }
        return pool.preparedQuery("select sku, quantity from cart_item where user_id = $1 order by id")
                .execute(Tuple.of(userId))
                .map(cart -> {
                    if (cart.size() == 0) {
                        throw ApiException.badRequest("fromCart", "The cart is empty");
                    }
                    Map<String, Long> prices = request.cartPrices() == null ? Map.of() : request.cartPrices();
                    Map<String, ItemRequest> items = new LinkedHashMap<>();
                    for (Row item : cart) {
                        String sku = item.getString("sku");
                        Long seen = prices.get(sku);
                        if (seen == null) {
                            throw ApiException.badRequest("cartPrices", "cartPrices lacks the price seen for " + sku);
                        }
                        items.put(sku, new ItemRequest(sku, item.getInteger("quantity"), seen));
                    }
                    return items;
                });
    }

    /** The address given, or else the one in the profile (read only then). */
    private static Uni<ShippingAddress> shippingAddress(long userId, ShippingAddress requested) {
        if (requested != null) {
            return Uni.createFrom().item(requested);
        }
        return Panache.withSession(() -> User.<User>findById(userId)).map(user -> {
            ShippingAddress profile = user == null ? null : user.shippingAddress;
            if (profile == null || profile.address1 == null) {
                throw ApiException.badRequest("shippingAddress", "No shipping address given and none in the profile");
            }
            return profile;
        });
    }

    /** The new order with its lines, checked against what is on sale at what price. */
    private Placed newOrder(
            String orderId,
            long userId,
            String idempotencyKey,
            ShippingAddress address,
            Map<String, ItemRequest> items,
            Map<String, Offer> offers,
            Long dealId) {
        List<OrderLine> lines = new ArrayList<>();
        long amount = 0;
        for (ItemRequest item : items.values()) {
            Offer offer = offers.get(item.sku());
            if (offer == null || !offer.onSale()) {
                throw ApiException.badRequest("items", "No SKU " + item.sku() + " on sale");
            }
            if (offer.price() != item.price()) {
                throw ApiException.conflict(
                        "The price of " + item.sku() + " changed",
                        Map.of("sku", item.sku(), "currentPrice", offer.price(), "seenPrice", item.price()));
            }
            OrderLine line = new OrderLine();
            line.productId = offer.productId();
            line.sku = item.sku();
            line.productName = offer.productName();
            line.optionLabel = offer.label();
            line.unitPrice = offer.price();
            line.quantity = item.quantity();
            lines.add(line);
            amount += offer.price() * item.quantity();
        }
        Instant now = Instant.now();
        Order order = new Order();
        order.orderId = orderId;
        order.userId = userId;
        order.idempotencyKey = idempotencyKey;
        order.status = OrderStatus.PENDING;
        order.orderName = lines.get(0).productName + (lines.size() > 1 ? " 외 " + (lines.size() - 1) + "건" : "");
        order.amount = amount;
        order.shipRecipient = address.recipient;
        order.shipPhone = address.phone;
        order.shipZipCode = address.zipCode;
        order.shipAddress1 = address.address1;
        order.shipAddress2 = address.address2;
        order.createdAt = now;
        order.updatedAt = now;
        order.dealId = dealId;
        order.expiresAt = now.plus(dealId == null ? config.unpaidTtl() : dealConfig.unpaidTtl());
        return new Placed(order, lines);
    }

    /** Writes the order, its lines and its ReserveStock command in the transaction on {@code connection}. */
    Uni<Placed> insert(SqlConnection connection, Placed placed) {
        Order order = placed.order();
        List<OrderLine> lines = placed.lines();
        Tuple values =
                Tuple.tuple().addString(order.orderId).addLong(order.userId).addString(order.idempotencyKey);
        addNameToCreated(values, order);
        addLines(values, lines);
        values.addValue(order.dealId)
                .addString(MessageTraces.current()) // its payment continues this trace
                .addString(order.buyerPhone);
        return connection
                .preparedQuery(INSERT_ORDER)
                .execute(values)
                .invoke(rows -> {
                    order.id = rows.iterator().next().getLong(0);
                    lines.forEach(line -> line.orderPk = order.id);
                })
                .chain(() -> outbox.addAll(connection, List.of(reserve(order, lines))))
                .replaceWith(placed);
    }

    /** e.g. ORD-20261125-K7M2Q9XW4PTA: 6-64 letters, digits and '-', as Toss requires. */
    static String newOrderId(Instant now) {
        StringBuilder id = new StringBuilder("ORD-").append(DAY.format(now)).append('-');
        for (int i = 0; i < 12; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
