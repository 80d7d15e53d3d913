package com.sansam.commerce.payment.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Toss Payments core API (base URL: TOSS_BASE_URL). Use {@link TossGateway}, which adds fault tolerance. */
@RegisterRestClient(configKey = "toss")
@RegisterProvider(TossErrorMapper.class)
@ClientHeaderParam(name = "Authorization", value = "{com.sansam.commerce.payment.client.TossAuth.header}")
@Path("/v1/payments")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface TossClient {

    @POST
    @Path("/confirm")
    Uni<TossPayment> confirm(@HeaderParam("Idempotency-Key") String idempotencyKey, TossRequests.Confirm body);

    @GET
    @Path("/orders/{orderId}")
    Uni<TossPayment> byOrderId(@PathParam("orderId") String orderId);

    @POST
    @Path("/{paymentKey}/cancel")
    Uni<TossPayment> cancel(
            @PathParam("paymentKey") String paymentKey,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            TossRequests.Cancel body);
}
