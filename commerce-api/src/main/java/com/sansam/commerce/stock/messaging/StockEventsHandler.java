package com.sansam.commerce.stock.messaging;

import com.sansam.commerce.catalog.service.AvailabilityService;
import com.sansam.commerce.catalog.service.CatalogCache;
import com.sansam.commerce.catalog.service.StockAdjustments;
import com.sansam.commerce.catalog.service.StockGate;
import com.sansam.commerce.deal.service.DealService;
import com.sansam.commerce.notification.service.NotificationTriggers;
import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.service.OrderStatusCache;
import com.sansam.commerce.order.service.OrderStockEvents;
import com.sansam.commerce.order.service.RefundJob;
import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.messages.StockEvents;
import com.sansam.runtime.inbox.BatchHandler;
import com.sansam.runtime.inbox.InboxConsumers;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes the stock-worker's events (each applied once through the inbox) and hands each to the feature it is about:
 * reservation outcomes to orders, availability to the catalogue, set-asides and closings to deals, alerts to
 * notifications. One queue keeps the events of an aggregate in the order stock-worker decided them, so one handler
 * routes them; it sits above those features (they never see it), which keeps their dependencies one way.
 */
@ApplicationScoped
public class StockEventsHandler implements BatchHandler {

    public static final String CHANNEL = "stock-events";

    private final AvailabilityService availability;
    private final OrderStockEvents orders;
    private final OrderStatusCache statusCache;
    private final RefundJob refunds;

    private final NotificationTriggers notices;
    private final CatalogCache cache;
    private final StockGate gate;
    private final DealService deals;
    private final StockAdjustments adjustments;

    public StockEventsHandler(
            AvailabilityService availability,
            OrderStockEvents orders,
            OrderStatusCache statusCache,
            RefundJob refunds,
            NotificationTriggers notices,
            CatalogCache cache,
            StockGate gate,
            DealService deals,
            StockAdjustments adjustments) {
        this.adjustments = adjustments;
        this.deals = deals;
        this.cache = cache;
        this.gate = gate;
        this.notices = notices;
        this.availability = availability;
        this.orders = orders;
        this.statusCache = statusCache;
        this.refunds = refunds;
    }

    /** Consumes the channel for the life of the service (kept alive by {@link InboxConsumers}). */
    void start(
            @Observes StartupEvent event, InboxConsumers consumers, @Channel(CHANNEL) Multi<Message<String>> messages) {
        consumers.consume(CHANNEL, messages);
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    /**
     * The bulk of a drop: reservation outcomes and availability changes, many to a transaction. Expiries, failed
     * commits and low-stock alerts are rarer and go one by one through {@link #handle}.
     */
    @Override
    public boolean batches(Envelope envelope) {
        return orders.isOutcome(envelope.type()) || "StockChanged".equals(envelope.type());
    }

    @Override
    public Uni<Result> handleBatch(SqlConnection connection, List<Envelope> envelopes) {
        List<Envelope> outcomes = new ArrayList<>();
        List<AvailabilityService.News> changes = new ArrayList<>();
        envelopes.forEach(envelope -> {
            if (orders.isOutcome(envelope.type())) {
                outcomes.add(envelope);
            }
            news(envelope).forEach(changes::add);
        });
        // The outcomes and the availability touch different rows: their statements go out together (pipelined on
        // the connection, outcomes first), so the batch's transaction waits for one round trip fewer.
        return Uni.combine()
                .all()
                .unis(
                        orders.applyOutcomes(connection, outcomes),
                        changes.isEmpty()
                                ? Uni.createFrom().item(AvailabilityService.Changes.NONE)
                                : availability.stockChangedAll(connection, changes))
                .asTuple()
                .map(both -> {
                    List<OrderStockEvents.Decided> decided = both.getItem1();
                    AvailabilityService.Changes changed = both.getItem2();
                    // After the commit, all at once (each step is a Redis round trip; one after the other they cost
                    // far more than the transaction): statuses (buyers are waiting), stock gate, catalogue cache.
                    return new Result(
                            changed.declined(),
                            () -> Uni.join()
                                    .all(
                                            statusCache.putAll(decided.stream()
                                                    .map(OrderStockEvents.Decided::status)
                                                    .toList()),
                                            gate.record(gateUpdates(decided, changes, changed)),
                                            cache.productsChanged(changed.products(), changed.inStockFlipped()))
                                    .andCollectFailures()
                                    .replaceWithVoid());
                });
    }

    /**
     * The availability news a message carries: a StockChanged's, or the levels a StockReserved's reservation left
     * (each naming that order; none from older senders, which send a StockChanged of their own).
     */
    private static List<AvailabilityService.News> news(Envelope envelope) {
        return switch (envelope.type()) {
            case "StockChanged" ->
                List.of(new AvailabilityService.News(
                        envelope, Messages.payload(envelope, StockEvents.StockChanged.class)));
            case "StockReserved" ->
                Messages.payload(envelope, StockEvents.StockReserved.class).changes().stream()
                        .map(change -> new AvailabilityService.News(envelope, change))
                        .toList();
            default -> List.of();
        };
    }

    /**
     * What the stock gate learns from a batch: the availability it applied, and the end of the claims of the orders
     * whose units a change took (whether or not that change was still news) and of the orders rejected. A reserved
     * order's claim ends only with the news of the availability that counts its units (the levels in its
     * StockReserved, or an older sender's StockChanged that names it): ending it without, which may come first,
     * would let the gate admit those units twice.
     */
    private static List<StockGate.Update> gateUpdates(
            List<OrderStockEvents.Decided> decided,
            List<AvailabilityService.News> changes,
            AvailabilityService.Changes changed) {
        Map<String, List<String>> ended = new java.util.LinkedHashMap<>();
        decided.stream()
                .filter(order -> order.status().status() == com.sansam.commerce.order.model.OrderStatus.REJECTED)
                .forEach(order -> order.skus()
                        .forEach(sku -> ended.computeIfAbsent(sku, s -> new ArrayList<>())
                                .add(order.status().orderId())));
        changes.stream()
                .filter(news -> !changed.declined().contains(news.source()))
                .map(AvailabilityService.News::event)
                .forEach(event -> ended.computeIfAbsent(event.sku(), s -> new ArrayList<>())
                        .addAll(event.reservedFor()));
        changed.levels().keySet().forEach(sku -> ended.computeIfAbsent(sku, s -> new ArrayList<>()));
        return ended.entrySet().stream()
                .map(entry -> StockGate.Update.changed(
                        entry.getKey(), changed.levels().get(entry.getKey()), entry.getValue()))
                .toList();
    }

    /**
     * Availability news taken one by one (a StockChanged, or a StockReserved's levels: its outcome was applied by the
     * batch that left it here): once it committed, the stock gate learns the availability (when it was news) and the
     * end of the claims it names, and the product's cache entries are dropped. Every other event: {@link #handle}.
     */
    @Override
    public Uni<Supplier<Uni<Void>>> handleThen(Envelope envelope) {
        List<AvailabilityService.News> news = news(envelope);
        if (news.isEmpty()) {
            return BatchHandler.super.handleThen(envelope);
        }
        return inOrder(news, piece -> applyAlone(envelope, piece.event()))
                .map(after -> () -> inOrder(after, Supplier::get).replaceWithVoid());
    }

    /** {@code step} applied to each item, one after the other; answers their results in order. */
    private static <T, R> Uni<List<R>> inOrder(List<T> items, java.util.function.Function<T, Uni<R>> step) {
        return Multi.createFrom()
                .iterable(items)
                .onItem()
                .<R>transformToUniAndConcatenate(step::apply)
                .collect()
                .asList();
    }

    /** One piece of news of {@code envelope}, applied alone; answers its after-commit work. */
    private Uni<Supplier<Uni<Void>>> applyAlone(Envelope envelope, StockEvents.StockChanged event) {
        // a StockChanged tells one SKU; a StockReserved's levels are told apart by SKU
        String noticeId = envelope.messageId() + ("StockChanged".equals(envelope.type()) ? "" : ":" + event.sku());
        return availability
                .stockChanged(event)
                .call(change -> change.backInStock() == null
                        ? Uni.createFrom().voidItem()
                        : notices.backInStock(noticeId, change.backInStock().id, change.backInStock().name))
                .map(change -> () -> gate.record(List.of(StockGate.Update.changed(
                                event.sku(),
                                change.applied() ? new StockGate.Level(event.available(), event.version()) : null,
                                event.reservedFor())))
                        .chain(() -> change.productId() == null
                                ? Uni.createFrom().voidItem()
                                : cache.productChanged(change.productId())));
    }

    /** Refunds at once on CommitFailed; refreshes the status cache from what committed. */
    @Override
    public Uni<Void> afterCommit(Envelope envelope) {
        if (!orders.handles(envelope.type())) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> cached = Panache.withSession(() -> Order.byOrderId(envelope.aggregateId()))
                .call(order -> order == null ? Uni.createFrom().voidItem() : statusCache.put(order))
                .replaceWithVoid();
        return "CommitFailed".equals(envelope.type())
                ? cached.chain(refunds::refundDue).replaceWithVoid()
                : cached;
    }

    /** The rarer events, one at a time (and a StockChanged that brings a sold-out SKU back, to tell its wishers). */
    @Override
    public Uni<Void> handle(Envelope envelope) {
        if (orders.handles(envelope.type())) {
            return orders.apply(envelope).replaceWithVoid();
        }
        return switch (envelope.type()) {
            case "StockChanged" -> handleThen(envelope).replaceWithVoid();
            case "DealStockSetAside" -> deals.setAside(Messages.payload(envelope, StockEvents.DealStockSetAside.class));
            case "DealStockRefused" -> deals.refused(Messages.payload(envelope, StockEvents.DealStockRefused.class));
            case "DealClosed" -> deals.closed(Messages.payload(envelope, StockEvents.DealClosed.class));
            case "StockAdjusted" -> adjustments.applied(Messages.payload(envelope, StockEvents.StockAdjusted.class));
            case "StockAdjustRefused" ->
                adjustments.refused(Messages.payload(envelope, StockEvents.StockAdjustRefused.class));
            case "LowStock" -> {
                StockEvents.LowStock low = Messages.payload(envelope, StockEvents.LowStock.class);
                yield notices.lowStock(envelope.messageId().toString(), low.sku(), low.available(), low.threshold());
            }
            default -> Uni.createFrom().voidItem();
        };
    }
}
