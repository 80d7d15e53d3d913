package com.sansam.runtime.http;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The client's address as the throttles count it. Behind trusted proxies ({@code quarkus.http.proxy.trusted-proxies},
 * honoured only with {@code proxy-address-forwarding}), the right-most {@code X-Forwarded-For} entry that is not a
 * trusted proxy: each proxy appends the address it saw, so that entry was written by our own ingress, while everything
 * left of it is whatever the client sent (Quarkus itself takes the left-most, which a client chooses). From anyone
 * else, the connection's own address.
 */
@ApplicationScoped
public class ClientAddress {

    private final boolean forwarding;
    private final List<IpSubnetFilterRule> trusted = new ArrayList<>();

    public ClientAddress(
            @ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding", defaultValue = "false")
                    boolean forwarding,
            @ConfigProperty(name = "quarkus.http.proxy.trusted-proxies") Optional<List<String>> trustedProxies) {
        this.forwarding = forwarding;
        trustedProxies.orElse(List.of()).forEach(proxy -> {
            String[] parts = proxy.trim().split("/", 2);
            InetAddress address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("TRUSTED_PROXIES: not an address or CIDR: " + proxy);
            }
            int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.getAddress().length * 8;
            trusted.add(new IpSubnetFilterRule(address, bits, IpFilterRuleType.ACCEPT));
        });
    }

    public String of(HttpServerRequest request) {
        SocketAddress peer =
                request.connection() == null ? null : request.connection().remoteAddress();
        String address = peer == null ? null : peer.hostAddress();
        if (address == null) {
            return "unknown";
        }
        String forwardedFor = request.getHeader("X-Forwarded-For");
        if (!forwarding || forwardedFor == null || !isTrusted(address)) {
            return address;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && !isTrusted(hop)) {
                return hop;
            }
        }
        return address;
    }

    private boolean isTrusted(String address) {
        InetAddress literal = literal(stripPort(address));
        if (literal == null) {
            return false; // not an address at all: never a proxy of ours
        }
        InetSocketAddress socket = new InetSocketAddress(literal, 0);
        return trusted.stream().anyMatch(rule -> rule.matches(socket));
    }

    /** An IP literal as an address, or null: never a name lookup (the header is the client's text). */
    private static InetAddress literal(String text) {
        byte[] bytes = io.netty.util.NetUtil.createByteArrayFromIpAddressString(text);
        try {
            return bytes == null ? null : InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException impossible) {
            return null;
        }
    }

    /** "203.0.113.7:4711" → "203.0.113.7"; IPv6 literals ("[::1]:80", "::1") as they are but for brackets and port. */
    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            return hop.substring(1, hop.indexOf(']'));
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }
}
