package com.sansam.commerce.account.model;

import com.sansam.runtime.session.Role;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

@Entity
@Table(name = "users")
public class User extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** Lower-cased; unique among accounts that are not withdrawn. Null once withdrawn. */
    public String email;

    @Column(name = "password_hash")
    public String passwordHash;

    public String name;

    public String phone;

    @Embedded
    public ShippingAddress shippingAddress;

    /** Declared annual income in KRW; chat rooms may require a minimum. */
    @Column(name = "annual_income")
    public Long annualIncome;

    @Column(name = "email_opt_in")
    public boolean emailOptIn = true;

    @Enumerated(EnumType.STRING)
    public Role role = Role.USER;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "withdrawn_at")
    public Instant withdrawnAt;

    /** When the email was proven by its link (null: not yet, or changed since). */
    @Column(name = "email_verified_at")
    public Instant emailVerifiedAt;

    /** The nonce of the one email link valid now (null: none out). */
    @Column(name = "email_link_nonce")
    public String emailLinkNonce;

    /** A new email waiting for its link to be followed; {@link #email} stays until then. */
    @Column(name = "pending_email")
    public String pendingEmail;

    /** E.164; set only by a proven SMS code, held by one live account at a time. */
    @Column(name = "verified_phone")
    public String verifiedPhone;

    @Column(name = "phone_verified_at")
    public Instant phoneVerifiedAt;

    @Version
    public long version;

    public boolean emailVerified() {
        return emailVerifiedAt != null;
    }

    public boolean phoneVerified() {
        return verifiedPhone != null;
    }

    public boolean isWithdrawn() {
        return withdrawnAt != null;
    }

    public static Uni<User> findActiveByEmail(String normalizedEmail) {
        return find("email = ?1 and withdrawnAt is null", normalizedEmail).firstResult();
    }

    public static String normalizeEmail(String email) {
        return email == null ? null : email.trim().toLowerCase(java.util.Locale.ROOT);
    }
}
