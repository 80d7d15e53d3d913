package com.sansam.commerce.account.service;

import com.sansam.commerce.account.config.AccountConfig;
import com.sansam.runtime.security.Randomness;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The devices an account's owner logged in from: a browser keeps a random token in the {@code SANSAM_DEVICE} cookie,
 * and Redis keeps, per account, a hash of each token that logged in well within {@code device-ttl} (refreshed at each
 * good login). A device known to the account passes the address throttle and needs no emailed code.
 */
@ApplicationScoped
public class KnownDevices {

    public static final String COOKIE = "SANSAM_DEVICE";
    private static final String PREFIX = "sansam:login:device:";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final ReactiveKeyCommands<String> keys;
    private final ReactiveValueCommands<String, String> values;
    private final AccountConfig.Throttle config;

    public KnownDevices(ReactiveRedisDataSource redis, AccountConfig config) {
        this.keys = redis.key();
        this.values = redis.value(String.class);
        this.config = config.throttle();
    }

    public Uni<Boolean> known(long userId, String token) {
        return wellFormed(token)
                ? keys.exists(key(userId, token))
                : Uni.createFrom().item(false);
    }

    /** Remembers the device of a good login (the presented token, or a new one); answers the token for the cookie. */
    public Uni<String> remember(long userId, String token) {
        String kept = wellFormed(token) ? token : newToken();
        return values.setex(key(userId, kept), config.deviceTtl().toSeconds(), "1")
                .replaceWith(kept);
    }

    private static boolean wellFormed(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        Randomness.secure().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String key(long userId, String token) {
        return PREFIX + userId + ":" + sha256(token);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
