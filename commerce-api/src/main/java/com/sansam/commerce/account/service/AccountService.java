package com.sansam.commerce.account.service;

import com.sansam.commerce.account.config.AccountConfig;
import com.sansam.commerce.account.mapping.UserMapper;
import com.sansam.commerce.account.model.AccountDtos.AdminUserView;
import com.sansam.commerce.account.model.AccountDtos.LoggedIn;
import com.sansam.commerce.account.model.AccountDtos.LoginRequest;
import com.sansam.commerce.account.model.AccountDtos.ProfileUpdate;
import com.sansam.commerce.account.model.AccountDtos.SignupRequest;
import com.sansam.commerce.account.model.PhoneNumbers;
import com.sansam.commerce.account.model.User;
import com.sansam.commerce.notification.service.NotificationTriggers;
import com.sansam.runtime.problem.Refusal;
import com.sansam.runtime.ratelimit.FixedWindows;
import com.sansam.runtime.session.Role;
import com.sansam.runtime.session.SessionStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/** The rules of accounts: signup, login, profile, password change and withdrawal. */
@ApplicationScoped
public class AccountService {

    private final NotificationTriggers notices;

    private final PasswordHasher hasher;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    private final AccountEvents events;
    private final KnownDevices devices;
    private final LoginCodes codes;
    private final EmailVerification emailLinks;
    private final FixedWindows windows;
    private final AccountConfig.Signup signupLimit;

    public AccountService(
            PasswordHasher hasher,
            SessionStore sessions,
            LoginThrottle throttle,
            AccountEvents events,
            NotificationTriggers notices,
            KnownDevices devices,
            LoginCodes codes,
            EmailVerification emailLinks,
            FixedWindows windows,
            AccountConfig config) {
        this.emailLinks = emailLinks;
        this.windows = windows;
        this.signupLimit = config.signup();
        this.devices = devices;
        this.codes = codes;
        this.hasher = hasher;
        this.sessions = sessions;
        this.throttle = throttle;
        this.events = events;
        this.notices = notices;
    }

    /**
     * A new account, unverified: the link that proves its email is sent at once. At most {@code max-per-address}
     * signups per client address in the window (429 with Retry-After past it).
     */
    public Uni<User> signup(SignupRequest request, String clientAddress) {
        String email = User.normalizeEmail(request.email());
        String phone = mobile(request.phone());
        return windows.take("sansam:signup:address:" + clientAddress, signupLimit.maxPerAddress(), signupLimit.window())
                .invoke(wait -> {
                    if (wait > 0) {
                        throw Refusal.tooOften("Too many new accounts from this address; try again later", wait);
                    }
                })
                .chain(() -> hasher.hash(request.password()))
                .chain(hash -> Panache.withTransaction(() -> User.findActiveByEmail(email)
                        .chain(existing -> {
                            if (existing != null) {
                                throw Refusal.conflict("An account with this email already exists");
                            }
                            User user = new User();
                            user.email = email;
                            user.passwordHash = hash;
                            user.name = request.name().strip();
                            user.phone = phone;
                            user.role = Role.USER;
                            user.createdAt = Instant.now();
                            return user.<User>persist()
                                    .call(events::registered)
                                    .call(saved -> notices.welcome(saved.id))
                                    .call(emailLinks::send);
                        })));
    }

    private static String mobile(String raw) {
        return PhoneNumbers.mobile(raw)
                .orElseThrow(() -> Refusal.invalid("phone", "Must be a Korean mobile number (010…)"));
    }

    /** Creates the first admin from configuration when no account holds that email yet. */
    public Uni<Boolean> ensureAdmin(String rawEmail, String password, String name) {
        String email = User.normalizeEmail(rawEmail);
        return Panache.withSession(() -> User.findActiveByEmail(email)).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(false);
            }
            return hasher.hash(password)
                    .chain(hash -> Panache.withTransaction(() -> {
                        User admin = new User();
                        admin.email = email;
                        admin.passwordHash = hash;
                        admin.name = name;
                        admin.role = Role.ADMIN;
                        admin.emailOptIn = true;
                        admin.createdAt = Instant.now();
                        return admin.<User>persist().call(events::registered);
                    }))
                    .replaceWith(true);
        });
    }

    /**
     * Checks the credentials and opens a session (see {@link LoginThrottle}): answers the session and the device's
     * token. {@code deviceToken} is the device cookie the browser sent, if any. A new device logging in to an account
     * under attack gets 401 {@code login-code-required} (a code is emailed) until it sends the code with the password.
     */
    public Uni<LoggedIn> login(LoginRequest request, String clientAddress, String deviceToken) {
        String email = User.normalizeEmail(request.email());
        return Panache.withSession(() -> User.findActiveByEmail(email))
                .chain(user -> (user == null ? Uni.createFrom().item(false) : devices.known(user.id, deviceToken))
                        .call(known -> throttle.before(email, clientAddress, known))
                        .chain(known -> hasher.matches(request.password(), user == null ? null : user.passwordHash)
                                .chain(ok -> {
                                    if (!ok) {
                                        return throttle.failed(email, clientAddress)
                                                .chain(() -> Uni.createFrom()
                                                        .failure(Refusal.unauthenticated("Wrong email or password")));
                                    }
                                    Uni<Void> proven = known
                                            ? Uni.createFrom().voidItem()
                                            : throttle.underAttack(email)
                                                    .chain(attacked -> !attacked
                                                            ? Uni.createFrom().voidItem()
                                                            : secondFactor(user, request.code(), email, clientAddress));
                                    return proven.chain(() -> throttle.succeeded(email, clientAddress))
                                            .chain(() -> devices.remember(user.id, deviceToken))
                                            .chain(token -> sessions.create(user.id, user.role)
                                                    .map(session -> new LoggedIn(session, token)));
                                })));
    }

    /** The right password from a new device of an account under attack: the emailed code proves the owner. */
    private Uni<Void> secondFactor(User user, String code, String email, String clientAddress) {
        Uni<Boolean> proven = code == null ? Uni.createFrom().item(false) : codes.verify(user.id, code);
        return proven.chain(ok -> ok
                ? Uni.createFrom().voidItem()
                : throttle.unfinished(email, clientAddress)
                        .chain(() -> code == null
                                ? codes.send(user.id)
                                : Uni.createFrom().voidItem())
                        .chain(() -> Uni.createFrom()
                                .failure(
                                        code == null
                                                ? Refusal.typed(
                                                        Refusal.Reason.UNAUTHENTICATED,
                                                        "login-code-required",
                                                        "Login code required",
                                                        "Many wrong passwords "
                                                                + "were tried for this account lately: a code was sent to its email; log in again with it",
                                                        Map.of("codeSent", true))
                                                : Refusal.typed(
                                                        Refusal.Reason.UNAUTHENTICATED,
                                                        "login-code-invalid",
                                                        "Wrong login code",
                                                        "The code is wrong, used "
                                                                + "or expired; log in again without a code to have a new one sent",
                                                        Map.of()))));
    }

    public Uni<Void> logout(long userId, String sessionId) {
        return sessions.revoke(userId, sessionId);
    }

    /** An admin's look at a live account (404 when there is none). */
    public Uni<AdminUserView> byEmail(String email) {
        return Panache.withSession(() -> User.findActiveByEmail(User.normalizeEmail(email)))
                .map(user -> {
                    if (user == null) {
                        throw Refusal.notFound("No account with this email");
                    }
                    return UserMapper.toAdminView(user);
                });
    }

    public Uni<User> profile(long userId) {
        return Panache.withSession(() -> activeUser(userId));
    }

    public Uni<User> updateProfile(long userId, String currentSessionId, ProfileUpdate update) {
        boolean changesPassword = update.newPassword() != null;
        boolean changesEmail = update.email() != null;
        if ((changesPassword || changesEmail)
                && (update.currentPassword() == null || update.currentPassword().isEmpty())) {
            return Uni.createFrom()
                    .failure(Refusal.invalid(
                            "currentPassword", "The current password is needed to change the password or email"));
        }
        String phone = update.phone() == null ? null : mobile(update.phone());
        return Panache.withSession(() -> activeUser(userId))
                .chain(user -> !changesPassword && !changesEmail
                        ? Uni.createFrom().item((String) null)
                        : hasher.matches(update.currentPassword(), user.passwordHash)
                                .chain(ok -> {
                                    if (!ok) {
                                        throw Refusal.invalid("currentPassword", "The current password is wrong");
                                    }
                                    return changesPassword
                                            ? hasher.hash(update.newPassword())
                                            : Uni.createFrom().item((String) null);
                                }))
                .chain(hash -> Panache.withTransaction(() -> activeUser(userId).chain(user -> {
                    apply(user, update, phone);
                    if (hash != null) {
                        user.passwordHash = hash;
                    }
                    return changeEmail(user, update.email())
                            .chain(() -> events.profileChanged(user))
                            .replaceWith(user);
                })))
                .call(user -> changesPassword
                        ? sessions.revokeAll(userId, currentSessionId)
                        : Uni.createFrom().voidItem());
    }

    /** Withdrawal: personal data erased, sessions revoked; the row stays so orders keep their buyer id. */
    public Uni<Void> withdraw(long userId, String password) {
        return Panache.withSession(() -> activeUser(userId))
                .chain(user -> hasher.matches(password, user.passwordHash))
                .chain(ok -> {
                    if (!ok) {
                        throw Refusal.invalid("password", "The password is wrong");
                    }
                    // Sessions end before the account does: if Redis fails here, the withdrawal fails and nothing
                    // changed, instead of leaving a withdrawn account with a working session.
                    return sessions.revokeAll(userId, null);
                })
                .chain(() -> Panache.withTransaction(() -> activeUser(userId).chain(user -> {
                    user.email = null;
                    user.passwordHash = null;
                    user.name = "(withdrawn)";
                    user.phone = null;
                    user.verifiedPhone = null; // the number is free for another account (its orders keep it)
                    user.phoneVerifiedAt = null;
                    user.pendingEmail = null;
                    user.emailLinkNonce = null;
                    user.shippingAddress = null;
                    user.annualIncome = null;
                    user.emailOptIn = false;
                    user.withdrawnAt = Instant.now();
                    return events.withdrawn(user);
                })))
                // and once more after the commit, for a login that raced the withdrawal (none can follow it: the
                // password is gone)
                .chain(() -> sessions.revokeAll(userId, null));
    }

    private static Uni<User> activeUser(long userId) {
        return User.<User>findById(userId).map(user -> {
            if (user == null || user.isWithdrawn()) {
                throw Refusal.unauthenticated("The account no longer exists");
            }
            return user;
        });
    }

    /**
     * A new email waits in {@code pendingEmail} until the link sent to it is followed; the current one stays and keeps
     * working. Asking for the current email again cancels a pending change.
     */
    private Uni<Void> changeEmail(User user, String requested) {
        if (requested == null) {
            return Uni.createFrom().voidItem();
        }
        String email = User.normalizeEmail(requested);
        if (email.equals(user.email)) {
            if (user.pendingEmail != null) { // the link out was for the change: void it; a signup link stays good
                user.pendingEmail = null;
                user.emailLinkNonce = null;
            }
            return Uni.createFrom().voidItem();
        }
        return User.findActiveByEmail(email).chain(existing -> {
            if (existing != null) {
                throw Refusal.conflict("An account with this email already exists");
            }
            user.pendingEmail = email;
            return emailLinks.send(user);
        });
    }

    private static void apply(User user, ProfileUpdate update, String phone) {
        if (update.name() != null) {
            user.name = update.name().strip();
        }
        if (phone != null) {
            user.phone = phone;
            if (!phone.equals(user.verifiedPhone)) { // another number: the proven one is released
                user.verifiedPhone = null;
                user.phoneVerifiedAt = null;
            }
        }
        if (update.shippingAddress() != null) {
            user.shippingAddress = UserMapper.toEntity(update.shippingAddress());
        }
        if (update.annualIncome() != null) {
            user.annualIncome = update.annualIncome();
        }
        if (update.emailOptIn() != null) {
            user.emailOptIn = update.emailOptIn();
        }
    }
}
