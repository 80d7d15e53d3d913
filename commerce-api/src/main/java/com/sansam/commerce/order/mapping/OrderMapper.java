package com.sansam.commerce.order.mapping;

import com.sansam.commerce.account.model.AccountDtos.AddressDto;
import com.sansam.commerce.order.model.Order;
import com.sansam.commerce.order.model.OrderDtos.LineView;
import com.sansam.commerce.order.model.OrderDtos.OrderView;
import com.sansam.commerce.order.model.OrderLine;
import com.sansam.commerce.order.model.OrderStatus;
import java.util.List;

public final class OrderMapper {

    private OrderMapper() {}

    public static OrderView toView(Order order, List<OrderLine> lines) {
        return new OrderView(
                order.orderId,
                order.orderName,
                order.amount,
                order.cancelledAmount,
                order.status,
                lines.stream()
                        .map(l -> new LineView(
                                l.sku,
                                l.productId,
                                l.productName,
                                l.optionLabel,
                                l.unitPrice,
                                l.quantity,
                                l.cancelledQty))
                        .toList(),
                new AddressDto(
                        order.shipRecipient,
                        order.shipPhone,
                        order.shipZipCode,
                        order.shipAddress1,
                        order.shipAddress2),
                order.createdAt,
                order.expiresAt,
                order.paidAt,
                order.dealId);
    }

    /** The same order in another status (a decision changes nothing else that the view shows). */
    public static OrderView withStatus(OrderView view, OrderStatus status) {
        return status == view.status()
                ? view
                : new OrderView(
                        view.orderId(),
                        view.orderName(),
                        view.amount(),
                        view.cancelledAmount(),
                        status,
                        view.lines(),
                        view.shippingAddress(),
                        view.createdAt(),
                        view.expiresAt(),
                        view.paidAt(),
                        view.dealId());
    }
}
