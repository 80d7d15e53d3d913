package com.sansam.commerce.account.service;

import com.sansam.commerce.account.config.AccountConfig;
import com.sansam.runtime.problem.Refusal;
import com.sansam.runtime.ratelimit.FixedWindows;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Slows the guesser, never the owner. In Redis (fixed windows shared by every replica), it counts <em>failures</em>:
 * <ul>
 *   <li>per account and client address: past {@code max-failures-per-account-and-address} that address waits (429)
 *   for that account only, so guesses from elsewhere never stop the owner. Each attempt of the pair is counted as it
 *   starts (parallel guesses cannot all pass the check before any is counted) and a good login clears the pair;</li>
 *   <li>per address: past {@code max-failures-per-address} the address waits, except for a device the account's owner
 *   logged in from before (an office behind one address keeps working);</li>
 *   <li>per account from anywhere: past {@code account-ceiling} a login from a device the owner never used needs a
 *   code sent to the account's email ({@link LoginCodes}); a known device logs in as usual. Never a lockout.</li>
 * </ul>
 * A refused attempt (429) is not counted and does not extend a window; good logins never count against an address.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final String PREFIX = "sansam:login:";

    private final FixedWindows windows;
    private final AccountConfig.Throttle config;

    public LoginThrottle(FixedWindows windows, AccountConfig config) {
        this.windows = windows;
        this.config = config.throttle();
    }

    /** Before the password is checked: 429 when this address has failed too often, for this account or at all. */
    public Uni<Void> before(String email, String address, boolean knownDevice) {
        String pair = pairKey(email, address);
        return windows.take(pair, config.maxFailuresPerAccountAndAddress(), config.window())
                .chain(wait -> wait > 0
                        ? refuse(pair, wait)
                        : knownDevice
                                ? Uni.createFrom().voidItem()
                                : windows.peek(addressKey(address))
                                        .chain(failures -> failures < config.maxFailuresPerAddress()
                                                ? Uni.createFrom().voidItem()
                                                : windows.secondsLeft(addressKey(address), config.window())
                                                        .chain(left -> refuse(pair, left))));
    }

    /** The refused attempt is not counted: the pair's count goes back to what its failures were. */
    private Uni<Void> refuse(String pair, long retryAfter) {
        return windows.giveBack(pair).invoke(() -> {
            throw Refusal.tooOften("Too many failed logins from this address; try again later", retryAfter);
        });
    }

    /** A wrong password: counted for the address and the account (the pair counted it already in {@link #before}). */
    public Uni<Void> failed(String email, String address) {
        return windows.count(addressKey(address), config.window())
                .chain(() -> windows.count(accountKey(email), config.accountWindow()))
                .replaceWithVoid();
    }

    /** The password was right: the pair starts afresh (the account's count stays: it is about the others). */
    public Uni<Void> succeeded(String email, String address) {
        return windows.reset(pairKey(email, address));
    }

    /** A right password whose login could not finish (a code still owed): the attempt is not a failure. */
    public Uni<Void> unfinished(String email, String address) {
        return windows.giveBack(pairKey(email, address));
    }

    /** Whether so many logins of this account failed lately that a new device must prove itself by email. */
    public Uni<Boolean> underAttack(String email) {
        return windows.peek(accountKey(email)).map(failures -> failures >= config.accountCeiling());
    }

    private static String pairKey(String email, String address) {
        return PREFIX + "pair:" + address + ":" + email;
    }

    private static String addressKey(String address) {
        return PREFIX + "address:" + address;
    }

    private static String accountKey(String email) {
        return PREFIX + "account:" + email;
    }
}
