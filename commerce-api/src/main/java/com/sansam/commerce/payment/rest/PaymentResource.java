package com.sansam.commerce.payment.rest;

import com.sansam.commerce.order.model.OrderDtos.OrderView;
import com.sansam.commerce.order.model.OrderDtos.PaymentRequest;
import com.sansam.commerce.payment.service.PaymentService;
import com.sansam.runtime.session.CurrentUser;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Paying an order: the buyer's browser comes back from Toss's payment window with a payment key to confirm. */
@Path("/api/v1/orders")
@Authenticated
@Tag(name = "Orders")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PaymentResource {

    private final PaymentService payments;
    private final CurrentUser currentUser;

    public PaymentResource(PaymentService payments, CurrentUser currentUser) {
        this.payments = payments;
        this.currentUser = currentUser;
    }

    @POST
    @Path("/{orderId}/payment")
    public Uni<OrderView> pay(@PathParam("orderId") String orderId, @NotNull @Valid PaymentRequest body) {
        return payments.confirm(currentUser.id(), currentUser.isAdmin(), orderId, body.paymentKey(), body.amount());
    }
}
