package com.sansam.runtime.security;

import java.security.SecureRandom;

/**
 * The services' one {@link SecureRandom} (session ids, codes, tokens, order ids, the waiting room's shuffle, draw seeds),
 * made when it is first used, at run time. A native image must not carry one made while the image was built: its
 * state would be the same in every executable, and the image builder refuses it. Each service therefore initialises
 * {@code Randomness$Holder} at run time ({@code quarkus.native.additional-build-args} in its application.properties).
 */
public final class Randomness {

    private Randomness() {}

    public static SecureRandom secure() {
        return Holder.RANDOM;
    }

    private static final class Holder {
        static final SecureRandom RANDOM = new SecureRandom();
    }
}
