package com.sansam.commerce.account.model;

import com.sansam.runtime.session.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** Request and answer bodies of the account routes. */
public final class AccountDtos {

    private AccountDtos() {}

    static final String PHONE = "^[0-9+][0-9 -]{6,19}$";
    static final String NOT_ALL_DIGITS = "(?s).*[^0-9].*";
    /** An address with a domain that has a dot: "a@b" and "a@localhost" cannot receive the verification link. */
    static final String DELIVERABLE_EMAIL = "^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$";

    /** {@code phone}: a Korean mobile number in any usual form (010-1234-5678, +82 10…); stored normalised. */
    public record SignupRequest(
            @NotBlank
            @Email
            @Size(max = 254)
            @Pattern(regexp = DELIVERABLE_EMAIL, message = "must be an email with a domain")
            String email,

            @NotNull @Size(min = 8, max = 72) @Pattern(regexp = NOT_ALL_DIGITS, message = "must not be all digits")
            String password,

            @NotBlank @Size(max = 50) String name,

            @NotBlank @Pattern(regexp = PHONE, message = "must be a phone number")
            String phone) {}

    /** {@code code}: the 6 digits emailed when a new device logs in to an account under attack (else absent). */
    public record LoginRequest(
            @NotBlank @Size(max = 254) String email,
            @NotBlank @Size(max = 72) String password,

            @jakarta.validation.constraints.Pattern(
                    regexp = "[0-9]{6}",
                    message = "must be the 6 digits of the emailed code")
            String code) {

        public LoginRequest(String email, String password) {
            this(email, password, null);
        }
    }

    /** A good login: the session, and the device token to keep in the device cookie. */
    public record LoggedIn(String sessionId, String deviceToken) {}

    public record AddressDto(
            @NotBlank @Size(max = 50) String recipient,

            @NotBlank @Pattern(regexp = PHONE, message = "must be a phone number")
            String phone,

            @NotBlank @Pattern(regexp = "^[0-9]{5}$", message = "must be a 5-digit postal code")
            String zipCode,

            @NotBlank @Size(max = 200) String address1,
            @Size(max = 200) String address2) {}

    /**
     * Only the fields present are changed. A password or email change needs the current password; a new email takes
     * effect once the link sent to it is followed.
     */
    public record ProfileUpdate(
            @Email @Size(max = 254) @Pattern(regexp = DELIVERABLE_EMAIL, message = "must be an email with a domain")
            String email,

            @Size(min = 1, max = 50) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank")
            String name,

            @Pattern(regexp = PHONE, message = "must be a phone number")
            String phone,

            @Valid AddressDto shippingAddress,
            @PositiveOrZero Long annualIncome,
            Boolean emailOptIn,
            @Size(max = 72) String currentPassword,

            @Size(min = 8, max = 72) @Pattern(regexp = NOT_ALL_DIGITS, message = "must not be all digits")
            String newPassword) {}

    public record WithdrawRequest(@NotBlank @Size(max = 72) String password) {}

    /** The browser's session: its user, or null when nobody is logged in. */
    public record SessionView(UserView user) {}

    /** {@code pendingEmail}: a change waiting for its link; {@code phoneVerified}: {@code phone} was proven by SMS. */
    public record UserView(
            long id,
            String email,
            String name,
            String phone,
            AddressDto shippingAddress,
            Long annualIncome,
            boolean emailOptIn,
            Role role,
            Instant createdAt,
            boolean emailVerified,
            String pendingEmail,
            boolean phoneVerified) {}

    /** What an admin sees of a buyer: verification state, the number masked (010-****-5678). */
    public record AdminUserView(
            long id,
            String email,
            String name,
            Role role,
            Instant createdAt,
            boolean emailVerified,
            Instant emailVerifiedAt,
            boolean phoneVerified,
            String verifiedPhone,
            Instant phoneVerifiedAt) {}

    /** The link's token (the {@code verify-email} parameter of the emailed link). */
    public record EmailLinkConfirm(
            @NotBlank @Size(max = 200) String token) {}

    public record PhoneCodeRequest(@NotBlank @Size(max = 20) String phone) {}

    public record PhoneCodeConfirm(
            @NotBlank @Pattern(regexp = "[0-9]{6}", message = "must be the 6 digits of the SMS code")
            String code) {}

    /** A code is on its way to {@code phone} (masked); valid {@code expiresInSeconds}, another after {@code resendAfterSeconds}. */
    public record CodeSent(String phone, long expiresInSeconds, long resendAfterSeconds) {}
}
