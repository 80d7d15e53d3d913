package com.sansam.commerce.account.rest;

import com.sansam.commerce.account.model.AccountDtos.EmailLinkConfirm;
import com.sansam.commerce.account.service.EmailVerification;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Following an emailed verification link (the account's own verification routes are in {@link UserResource}). */
@Path("/api/v1/email-verifications")
@Tag(name = "Accounts")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class VerificationResource {

    private final EmailVerification email;

    public VerificationResource(EmailVerification email) {
        this.email = email;
    }

    /** Follows an emailed link (from any browser: the token proves the address). 204 once verified. */
    @POST
    @PermitAll
    public Uni<Response> confirmEmail(@NotNull @Valid EmailLinkConfirm body) {
        return email.confirm(body.token()).replaceWith(Response.noContent().build());
    }
}
