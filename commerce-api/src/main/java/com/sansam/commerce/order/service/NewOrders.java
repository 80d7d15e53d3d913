package com.sansam.commerce.order.service;

import com.sansam.commerce.account.model.ShippingAddress;
import com.sansam.commerce.account.model.User;
import com.sansam.commerce.catalog.service.StockGate;
import com.sansam.commerce.deal.config.DealConfig;
import com.sansam.commerce.order.config.OrderConfig;
import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderDtos.ItemRequest;
import com.sansam.commerce.order.model.OrderLine;
import com.sansam.commerce.order.model.OrderStatus;
import com.sansam.messages.StockCommands;
import com.sansam.runtime.outbox.Outbox;
import com.sansam.runtime.problem.Refusal;
import com.sansam.runtime.security.Randomness;
import com.sansam.runtime.tracing.MessageTraces;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A new order as rows: what is on sale at what price ({@link #OFFERS}), the order checked against it
 * ({@link #newOrder}), and the one statement that writes it with its lines ({@link #insert}) and its ReserveStock
 * command. Shared by every way an order is placed (regular, deal, a draw's winner).
 */
@ApplicationScoped
public class NewOrders {

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /** The options named by an order, with their product and the availability last heard from the stock-worker. */
    static final String OFFERS = """
            select o.sku, o.size, o.color, p.id as product_id, p.name, p.price, p.status, a.available, a.version
            from product_option o join product p on p.id = o.product_id
            left join sku_availability a on a.sku = o.sku
            where o.sku = any($1)""";

    /**
     * The insert of an order's lines for the order in CTE {@code o}, from the six arrays bound at {@code $first} to
     * {@code $first+5} (product ids, SKUs, names, option labels, unit prices, quantities), in their order.
     */
    static String linesInsert(int first) {
        return """
                insert into order_line (order_pk, product_id, sku, product_name, option_label, unit_price, quantity)
                select o.id, l.product_id, l.sku, l.product_name, l.option_label, l.unit_price, l.quantity
                from o, unnest($%d::bigint[], $%d::text[], $%d::text[], $%d::text[], $%d::bigint[], $%d::int[]) with ordinality
                     as l(product_id, sku, product_name, option_label, unit_price, quantity, n)
                order by l.n""".formatted(first, first + 1, first + 2, first + 3, first + 4, first + 5);
    }

    /**
     * The order, its lines and its ReserveStock command (the outbox's seven arrays at $22) in one statement; answers
     * the order's key. On its own it needs no transaction round trips (its begin and commit are implicit).
     */
    private static final String INSERT_ORDER = """
            with o as (
                insert into orders (order_id, user_id, idempotency_key, status, order_name, amount, ship_recipient, ship_phone,
                                    ship_zip_code, ship_address1, ship_address2, expires_at, created_at, updated_at, deal_id,
                                    trace_parent, buyer_phone)
                values ($1, $2, $3, 'PENDING', $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $19, $20, $21)
                returning id),
            ol as (%s),
            commands as (insert into outbox %s)
            select id from o""".formatted(linesInsert(13), Outbox.selectFrom(22, ", o"));

    private final Outbox outbox;
    private final OrderConfig config;
    private final DealConfig dealConfig;

    public NewOrders(Outbox outbox, OrderConfig config, DealConfig dealConfig) {
        this.outbox = outbox;
        this.config = config;
        this.dealConfig = dealConfig;
    }

    /** One option as placing an order needs it. */
    record Offer(
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
    public record Placed(Order order, List<OrderLine> lines) {

        /** The order (and its lines) now that it has its key. */
        Placed keyed(long orderPk) {
            order.id = orderPk;
            lines.forEach(line -> line.orderPk = orderPk);
            return this;
        }
    }

    static Map<String, Offer> offers(RowSet<Row> rows, Map<String, Long> dealPrices) {
        Map<String, Offer> offers = new HashMap<>();
        rows.forEach(row -> offers.put(row.getString("sku"), Offer.of(row).at(dealPrices)));
        return offers;
    }

    /** The order's columns both inserts take in this order: name, amount, shipping address, expiry, creation. */
    static void addNameToCreated(Tuple values, Order order) {
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
    static void addLines(Tuple values, List<OrderLine> lines) {
        values.addValue(lines.stream().map(l -> l.productId).toArray(Long[]::new))
                .addValue(lines.stream().map(l -> l.sku).toArray(String[]::new))
                .addValue(lines.stream().map(l -> l.productName).toArray(String[]::new))
                .addValue(lines.stream().map(l -> l.optionLabel).toArray(String[]::new))
                .addValue(lines.stream().map(l -> l.unitPrice).toArray(Long[]::new))
                .addValue(lines.stream().map(l -> l.quantity).toArray(Integer[]::new));
    }

    /** The order's ReserveStock command. */
    static Outbox.Pending reserve(Order order, List<OrderLine> lines) {
        List<StockCommands.Line> stockLines = order.stockLines(lines.stream()
                .map(l -> new StockCommands.Line(l.sku, l.quantity))
                .toList());
        return order.stockCommand(new StockCommands.ReserveStock(order.orderId, stockLines, order.expiresAt));
    }

    /** The address given, or else the one in the profile (read only then). */
    static Uni<ShippingAddress> shippingAddress(long userId, ShippingAddress requested) {
        if (requested != null) {
            return Uni.createFrom().item(requested);
        }
        return Panache.withSession(() -> User.<User>findById(userId)).map(user -> {
            ShippingAddress profile = user == null ? null : user.shippingAddress;
            if (profile == null || profile.address1 == null) {
                throw Refusal.invalid("shippingAddress", "No shipping address given and none in the profile");
            }
            return profile;
        });
    }

    /** The new order with its lines, checked against what is on sale at what price. */
    Placed newOrder(
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
                throw Refusal.invalid("items", "No SKU " + item.sku() + " on sale");
            }
            if (offer.price() != item.price()) {
                throw Refusal.conflict(
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

    /**
     * Writes the order, its lines and its ReserveStock command in one statement: on a pool, a transaction of its own;
     * on a connection, in the transaction running there.
     */
    public Uni<Placed> insert(SqlClient client, Placed placed) {
        Tuple values = orderValues(placed);
        outbox.columns(List.of(reserve(placed.order(), placed.lines()))).forEach(values::addValue);
        return client.preparedQuery(INSERT_ORDER)
                .execute(values)
                .map(rows -> placed.keyed(rows.iterator().next().getLong(0)));
    }

    /** {@link #INSERT_ORDER}'s $1 to $21. */
    private static Tuple orderValues(Placed placed) {
        Order order = placed.order();
        Tuple values =
                Tuple.tuple().addString(order.orderId).addLong(order.userId).addString(order.idempotencyKey);
        addNameToCreated(values, order);
        addLines(values, placed.lines());
        return values.addValue(order.dealId)
                .addString(MessageTraces.current()) // its payment continues this trace
                .addString(order.buyerPhone);
    }

    /** e.g. ORD-20261125-K7M2Q9XW4PTA: 6-64 letters, digits and '-', as Toss requires. */
    public static String newOrderId(Instant now) {
        StringBuilder id = new StringBuilder("ORD-").append(DAY.format(now)).append('-');
        for (int i = 0; i < 12; i++) {
            id.append(ALPHABET.charAt(Randomness.secure().nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
