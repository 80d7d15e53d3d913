package com.sansam.commerce.payment.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.microprofile.config.ConfigProvider;

/** HTTP Basic with the secret key as user and an empty password. The key is never logged. */
public final class TossAuth {

    private TossAuth() {}

    public static String header() {
        String key = ConfigProvider.getConfig().getValue("sansam.toss.secret-key", String.class);
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }
}
