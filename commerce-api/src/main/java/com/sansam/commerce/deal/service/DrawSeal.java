package com.sansam.commerce.deal.service;

import com.sansam.commerce.deal.config.DealConfig;
import com.sansam.runtime.security.Randomness;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The draw's seed and its rule. A draw deal gets a random 32-byte seed when it is created; only its SHA-256 (the
 * commitment) is shown until the draw, and the seed itself is kept sealed (AES-256-GCM, key derived from
 * {@code sansam.deals.draw-seal-key}) so that neither the database, a log nor an admin screen shows it early. At the
 * close the seed is revealed and the drawn order is {@link #drawnOrder}: a function of the seed and the entrants' public
 * tickets only, so anyone can recompute it.
 */
@ApplicationScoped
public class DrawSeal {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] CONTEXT = "sansam-draw-seed".getBytes(StandardCharsets.UTF_8);
    private static final String TICKET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /** A new seed: its commitment (public) and its sealed form (stored). */
    public record Sealed(String commitment, String sealed) {}

    private final DealConfig config;

    public DrawSeal(DealConfig config) {
        this.config = config;
    }

    public Sealed newSeed() {
        byte[] seed = new byte[32];
        Randomness.secure().nextBytes(seed);
        try {
            byte[] iv = new byte[12];
            Randomness.secure().nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(128, iv));
            cipher.updateAAD(CONTEXT);
            byte[] sealed = cipher.doFinal(seed);
            String stored = Base64.getEncoder()
                    .encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                            .put(iv)
                            .put(sealed)
                            .array());
            return new Sealed(commitment(HEX.formatHex(seed)), stored);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Sealing a draw seed failed", e);
        }
    }

    /** The seed (hex) of a sealed one; fails when the key is not the one it was sealed with. */
    public String unseal(String stored) {
        byte[] all = Base64.getDecoder().decode(stored);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(128, all, 0, 12));
            cipher.updateAAD(CONTEXT);
            return HEX.formatHex(cipher.doFinal(all, 12, all.length - 12));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "A draw seed cannot be unsealed: sansam.deals.draw-seal-key is not the key it was sealed with", e);
        }
    }

    private SecretKeySpec key() {
        String secret = config.drawSealKey()
                .filter(k -> !k.isBlank())
                .orElseThrow(() -> new IllegalStateException("DRAW_SEAL_KEY is not set: draw deals cannot be made"));
        return new SecretKeySpec(sha256(secret.getBytes(StandardCharsets.UTF_8)), "AES");
    }

    /** An entrant's public ticket: 12 random letters and digits, shown to the entrant and in the draw's proof. */
    public static String newTicket() {
        StringBuilder ticket = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            ticket.append(TICKET_ALPHABET.charAt(Randomness.secure().nextInt(TICKET_ALPHABET.length())));
        }
        return ticket.toString();
    }

    /** SHA-256 (hex) of the seed's bytes (given as hex): the commitment published before entries open. */
    public static String commitment(String seedHex) {
        return HEX.formatHex(sha256(HEX.parseHex(seedHex)));
    }

    /**
     * The drawn order: the tickets sorted by SHA-256(seed hex + ":" + ticket), as lowercase hex, ascending. The first
     * entrants in this order win (per SKU, as long as it has units); the rest follow in line.
     */
    public static List<String> drawnOrder(String seedHex, Collection<String> tickets) {
        Map<String, String> keys = tickets.stream()
                .collect(Collectors.toMap(
                        Function.identity(),
                        t -> HEX.formatHex(sha256((seedHex + ":" + t).getBytes(StandardCharsets.UTF_8)))));
        return tickets.stream()
                .sorted(Comparator.comparing((String t) -> keys.get(t)).thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
