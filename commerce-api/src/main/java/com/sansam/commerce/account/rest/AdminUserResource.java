package com.sansam.commerce.account.rest;

import com.sansam.commerce.account.model.AccountDtos.AdminUserView;
import com.sansam.commerce.account.service.AccountService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admins look a buyer up by email: whether the email and phone are verified (the number masked). */
@Path("/api/v1/admin/users")
@RolesAllowed("ADMIN")
@Tag(name = "Admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminUserResource {

    private final AccountService accounts;

    public AdminUserResource(AccountService accounts) {
        this.accounts = accounts;
    }

    @GET
    public Uni<AdminUserView> byEmail(@QueryParam("email") @NotBlank @Size(max = 254) String email) {
        return accounts.byEmail(email);
    }
}
