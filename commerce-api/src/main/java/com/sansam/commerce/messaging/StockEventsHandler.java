package com.sansam.commerce.messaging;

import com.sansam.commerce.catalog.service.AvailabilityService;
import com.sansam.commerce.catalog.service.CatalogCache;
import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.service.OrderStatusCache;
import com.sansam.commerce.order.service.OrderStockEvents;
import com.sansam.commerce.order.service.RefundJob;
import io.quarkus.hibernate.reactive.panache.Panache;
import com.sansam.commerce.notification.service.NotificationStream;
import com.sansam.commerce.notification.service.NotificationTriggers;
import com.sansam.contracts.Envelope;
import com.sansam.contracts.Messages;
import com.sansam.contracts.StockEvents;
import com.sansam.contracts.inbox.InboxConsumers;
import com.sansam.contracts.inbox.MessageHandler;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Consumes the stock-worker's events (each applied once through the inbox) and routes them to the features. */
@ApplicationScoped
public class StockEventsHandler implements MessageHandler {

    public static final String CHANNEL = "stock-events";

    private final AvailabilityService availability;
    private final OrderStockEvents orders;
    private final OrderStatusCache statusCache;
    private final RefundJob refunds;

    private final NotificationTriggers notices;
    private final NotificationStream stream;
    /** Messages whose handling created notices: their streams are told once the inbox transaction commits. */
    private final java.util.Set<java.util.UUID> noticesPending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Products whose availability a message changed: their cache entries are evicted once the transaction commits. */
    private final java.util.Map<java.util.UUID, Long> cacheEvictions = new java.util.concurrent.ConcurrentHashMap<>();
    private final CatalogCache cache;

    public StockEventsHandler(AvailabilityService availability, OrderStockEvents orders,
                              OrderStatusCache statusCache, RefundJob refunds, NotificationTriggers notices,
                              NotificationStream stream, CatalogCache cache) {
        this.cache = cache;
        this.notices = notices;
        this.stream = stream;
        this.availability = availability;
        this.orders = orders;
        this.statusCache = statusCache;
        this.refunds = refunds;
    }

    /** Consumes the channel for the life of the service (kept alive by {@link InboxConsumers}). */
    void start(@Observes StartupEvent event, InboxConsumers consumers, @Channel(CHANNEL) Multi<Message<String>> messages) {
        consumers.consume(CHANNEL, messages);
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    /** Order outcomes: refresh the status cache from the committed order; refund at once on CommitFailed. */
    @Override
    public Uni<Void> afterCommit(Envelope envelope) {
        Long changedProduct = cacheEvictions.remove(envelope.messageId());
        Uni<Void> evicted = changedProduct == null ? Uni.createFrom().voidItem() : cache.productChanged(changedProduct);
        if (noticesPending.remove(envelope.messageId())) {
            return evicted.chain(stream::signalEveryone);
        }
        if (changedProduct != null) {
            return evicted;
        }
        if (!orders.handles(envelope.type())) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> cached = Panache.withSession(() -> Order.byOrderId(envelope.aggregateId()))
                .call(order -> order == null ? Uni.createFrom().voidItem() : statusCache.put(order))
                .replaceWithVoid();
        return "CommitFailed".equals(envelope.type()) ? cached.chain(refunds::refundDue).replaceWithVoid() : cached;
    }

    @Override
    public Uni<Void> handle(Envelope envelope) {
        if (orders.handles(envelope.type())) {
            return orders.apply(envelope).replaceWithVoid();
        }
        return switch (envelope.type()) {
            case "StockChanged" -> availability.stockChanged(Messages.payload(envelope, StockEvents.StockChanged.class))
                    .invoke(change -> {
                        if (change.productId() != null) {
                            cacheEvictions.put(envelope.messageId(), change.productId());
                        }
                    })
                    .chain(change -> change.backInStock() == null ? Uni.createFrom().voidItem()
                            : notices.backInStock(envelope.messageId().toString(), change.backInStock().id, change.backInStock().name)
                            .invoke(() -> noticesPending.add(envelope.messageId())));
            case "LowStock" -> {
                StockEvents.LowStock low = Messages.payload(envelope, StockEvents.LowStock.class);
                yield notices.lowStock(envelope.messageId().toString(), low.sku(), low.available(), low.threshold())
                        .invoke(() -> noticesPending.add(envelope.messageId()));
            }
            default -> Uni.createFrom().voidItem();
        };
    }
}
