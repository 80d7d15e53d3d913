package com.sansam.commerce.account.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * Solapi's message API (https://docs.solapi.com, "단일 메시지 발송": {@code POST /messages/v4/send}); base URL
 * {@code SMS_BASE_URL}. Use {@link SmsGateway}, which adds fault tolerance.
 */
@RegisterRestClient(configKey = "sms")
@RegisterProvider(SolapiErrorMapper.class)
@ClientHeaderParam(name = "Authorization", value = "{com.sansam.commerce.account.client.SolapiAuth.header}")
@Path("/messages/v4")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface SolapiClient {

    @POST
    @Path("/send")
    Uni<SolapiMessages.Sent> send(SolapiMessages.Send body);
}
