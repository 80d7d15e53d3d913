package com.sansam.commerce.account.rest;

import com.sansam.commerce.account.config.AccountConfig;
import com.sansam.commerce.account.mapping.UserMapper;
import com.sansam.commerce.account.model.AccountDtos.LoginRequest;
import com.sansam.commerce.account.model.AccountDtos.SessionView;
import com.sansam.commerce.account.service.AccountService;
import com.sansam.commerce.account.service.KnownDevices;
import com.sansam.runtime.http.ClientAddress;
import com.sansam.runtime.session.CurrentUser;
import com.sansam.runtime.session.SessionCookies;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/sessions")
@Tag(name = "Accounts")
public class SessionResource {

    private final AccountService accounts;
    private final CurrentUser currentUser;
    private final SessionCookies cookies;

    private final AccountConfig config;
    private final ClientAddress clientAddress;
    private final CurrentIdentityAssociation identities;

    public SessionResource(
            AccountService accounts,
            CurrentUser currentUser,
            SessionCookies cookies,
            AccountConfig config,
            ClientAddress clientAddress,
            CurrentIdentityAssociation identities) {
        this.identities = identities;
        this.clientAddress = clientAddress;
        this.config = config;
        this.accounts = accounts;
        this.currentUser = currentUser;
        this.cookies = cookies;
    }

    /** Login: 204 with the SESSION cookie and the device cookie (which makes this browser a known device). */
    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> login(
            @NotNull @Valid LoginRequest body,
            @Context HttpServerRequest request,
            @CookieParam(KnownDevices.COOKIE) String device) {
        String address = clientAddress.of(request);
        return accounts.login(body, address, device)
                .map(in -> Response.noContent()
                        .cookie(
                                cookies.session(in.sessionId()),
                                cookies.persistent(
                                        KnownDevices.COOKIE,
                                        in.deviceToken(),
                                        "/api/v1/sessions",
                                        config.throttle().deviceTtl()))
                        .build());
    }

    /**
     * Who this browser is logged in as, or {@code {"user": null}}: a page asks on every load, and a visitor who is not
     * logged in is no error (200 either way; {@code GET /users/me} answers 401 then).
     */
    @GET
    @Path("/current")
    @PermitAll
    public Uni<SessionView> current() {
        return identities
                .getDeferredIdentity()
                .chain(identity -> identity.isAnonymous()
                        ? Uni.createFrom().item(new SessionView(null))
                        : accounts.profile(
                                        Long.parseLong(identity.getPrincipal().getName()))
                                .map(user -> new SessionView(UserMapper.toView(user))));
    }

    /** Logout: the session ends server-side at once. */
    @DELETE
    @Path("/current")
    @Authenticated
    public Uni<Response> logout() {
        return accounts.logout(currentUser.id(), currentUser.sessionId())
                .map(ignored -> Response.noContent().cookie(cookies.expired()).build());
    }
}
