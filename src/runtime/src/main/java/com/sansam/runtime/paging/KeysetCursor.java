package com.sansam.runtime.paging;

import com.sansam.runtime.problem.Refusal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Collectors;

/**
 * The opaque cursor every keyset-paged listing hands out: the last row's sort key parts, joined and base64url
 * encoded. A cursor that is not one of ours answers 400 (field {@code cursor}).
 */
public final class KeysetCursor {

    private KeysetCursor() {}

    public static String encode(Object... parts) {
        String raw = Arrays.stream(parts).map(String::valueOf).collect(Collectors.joining("|"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The parts, exactly {@code count} of them. */
    public static String[] decode(String cursor, int count) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", -1);
            if (parts.length != count) {
                throw new IllegalArgumentException("expected " + count + " parts");
            }
            return parts;
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    /** The parts as numbers. */
    public static long[] decodeLongs(String cursor, int count) {
        String[] parts = decode(cursor, count);
        try {
            return Arrays.stream(parts).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    public static Refusal invalid() {
        return Refusal.invalid("cursor", "cursor is not one this listing handed out");
    }
}
