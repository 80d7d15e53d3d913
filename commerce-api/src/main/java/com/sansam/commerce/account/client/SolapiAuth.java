package com.sansam.commerce.account.client;

import com.sansam.runtime.security.Randomness;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Solapi's API-key authentication: {@code HMAC-SHA256 apiKey=…, date=…, salt=…, signature=…}, the signature being
 * HMAC-SHA256 over date + salt with the API secret, in hex. A fresh salt and date per request; never logged.
 */
public final class SolapiAuth {

    private SolapiAuth() {}

    public static String header() {
        var config = ConfigProvider.getConfig();
        String key = config.getOptionalValue("sansam.account.sms.api-key", String.class)
                .orElse("");
        String secret = config.getOptionalValue("sansam.account.sms.api-secret", String.class)
                .orElse("");
        return signed(key, secret, Instant.now().truncatedTo(ChronoUnit.SECONDS), salt());
    }

    static String signed(String apiKey, String apiSecret, Instant date, String salt) {
        String when = date.toString();
        return "HMAC-SHA256 apiKey=" + apiKey + ", date=" + when + ", salt=" + salt + ", signature="
                + signature(apiSecret, when + salt);
    }

    static String signature(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String salt() {
        byte[] bytes = new byte[16];
        Randomness.secure().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
