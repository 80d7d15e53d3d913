package com.sansam.commerce.account.rest;

import com.sansam.commerce.account.mapping.UserMapper;
import com.sansam.commerce.account.model.AccountDtos.ProfileUpdate;
import com.sansam.commerce.account.model.AccountDtos.SignupRequest;
import com.sansam.commerce.account.model.AccountDtos.UserView;
import com.sansam.commerce.account.model.AccountDtos.WithdrawRequest;
import com.sansam.commerce.account.service.AccountService;
import com.sansam.contracts.session.CurrentUser;
import com.sansam.contracts.session.SessionCookies;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
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

    public UserResource(AccountService accounts, CurrentUser currentUser, SessionCookies cookies) {
        this.accounts = accounts;
        this.currentUser = currentUser;
        this.cookies = cookies;
    }

    @POST
    @PermitAll
    public Uni<Response> signup(@NotNull @Valid SignupRequest body) {
        return accounts.signup(body)
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
}
