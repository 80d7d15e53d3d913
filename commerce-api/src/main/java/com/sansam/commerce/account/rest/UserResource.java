package com.sansam.commerce.account.rest;

import com.sansam.commerce.account.mapping.UserMapper;
import com.sansam.commerce.account.model.AccountDtos.PhoneCodeConfirm;
import com.sansam.commerce.account.model.AccountDtos.PhoneCodeRequest;
import com.sansam.commerce.account.model.AccountDtos.ProfileUpdate;
import com.sansam.commerce.account.model.AccountDtos.SignupRequest;
import com.sansam.commerce.account.model.AccountDtos.UserView;
import com.sansam.commerce.account.model.AccountDtos.WithdrawRequest;
import com.sansam.commerce.account.service.AccountService;
import com.sansam.commerce.account.service.EmailVerification;
import com.sansam.commerce.account.service.PhoneVerification;
import com.sansam.runtime.http.ClientAddress;
import com.sansam.runtime.session.CurrentUser;
import com.sansam.runtime.session.SessionCookies;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/users")
@Tag(name = "Accounts")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    private final AccountService accounts;
    private final CurrentUser currentUser;
    private final SessionCookies cookies;
    private final ClientAddress clientAddress;
    private final EmailVerification emailLinks;
    private final PhoneVerification phones;

    public UserResource(
            AccountService accounts,
            CurrentUser currentUser,
            SessionCookies cookies,
            ClientAddress clientAddress,
            EmailVerification emailLinks,
            PhoneVerification phones) {
        this.emailLinks = emailLinks;
        this.phones = phones;
        this.clientAddress = clientAddress;
        this.accounts = accounts;
        this.currentUser = currentUser;
        this.cookies = cookies;
    }

    @POST
    @PermitAll
    public Uni<Response> signup(@NotNull @Valid SignupRequest body, @Context HttpServerRequest request) {
        return accounts.signup(body, clientAddress.of(request))
                .map(user -> Response.created(URI.create("/api/v1/users/me"))
                        .entity(UserMapper.toView(user))
                        .build());
    }

    @GET
    @Path("/me")
    @Authenticated
    public Uni<UserView> me() {
        return accounts.profile(currentUser.id()).map(UserMapper::toView);
    }

    @PATCH
    @Path("/me")
    @Authenticated
    public Uni<UserView> update(@NotNull @Valid ProfileUpdate body) {
        return accounts.updateProfile(currentUser.id(), currentUser.sessionId(), body)
                .map(UserMapper::toView);
    }

    @DELETE
    @Path("/me")
    @Authenticated
    public Uni<Response> withdraw(@NotNull @Valid WithdrawRequest body) {
        return accounts.withdraw(currentUser.id(), body.password())
                .map(ignored -> Response.noContent().cookie(cookies.expired()).build());
    }

    /** Sends a new link to the account's email (or to the email it is changing to). */
    @POST
    @Path("/me/email-verification")
    @Authenticated
    public Uni<Response> resendEmail() {
        return emailLinks
                .resend(currentUser.id())
                .replaceWith(Response.accepted().build());
    }

    /** Sends a code by SMS to the number given. */
    @POST
    @Path("/me/phone-verification")
    @Authenticated
    public Uni<Response> sendCode(@NotNull @Valid PhoneCodeRequest body, @Context HttpServerRequest request) {
        return phones.send(currentUser.id(), body.phone(), clientAddress.of(request))
                .map(sent -> Response.accepted(sent).build());
    }

    /** The code from the SMS: the number becomes the account's verified phone. */
    @POST
    @Path("/me/phone-verification/confirm")
    @Authenticated
    public Uni<UserView> confirmCode(@NotNull @Valid PhoneCodeConfirm body) {
        return phones.confirm(currentUser.id(), body.code()).map(UserMapper::toView);
    }
}
