package com.sansam.chat.realtime.socket;

import com.sansam.chat.config.ChatConfig;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Refuses (403) a WebSocket handshake whose {@code Origin} is neither the gateway's own origin nor in
 * {@code sansam.chat.allowed-origins}: a page on another site cannot open a chat connection with the visitor's
 * cookie. A handshake without Origin comes from a non-browser client and carries no such risk.
 */
@ApplicationScoped
public class OriginCheck implements HttpUpgradeCheck {

    private static final Logger LOG = Logger.getLogger(OriginCheck.class);

    private final Set<String> allowed;

    public OriginCheck(ChatConfig config) {
        this.allowed = config.allowedOrigins().orElse(List.of()).stream()
                .map(OriginCheck::normalise)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String origin = context.httpRequest().getHeader("Origin");
        if (origin == null
                || allowed.contains(normalise(origin))
                || sameOrigin(origin, context.httpRequest().getHeader("Host"))) {
            return CheckResult.permitUpgrade();
        }
        LOG.debugf("WebSocket handshake from origin %s refused", origin);
        return CheckResult.rejectUpgrade(403);
    }

    private static boolean sameOrigin(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            return host != null
                    && uri.getAuthority() != null
                    && uri.getAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static String normalise(String origin) {
        String trimmed = origin.trim().toLowerCase(java.util.Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
