package com.sansam.commerce.deal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The fairness of the waiting room's shuffle and the draw's rule, as plain functions (no application started).
 * <p>
 * The shuffle test draws many small shuffles from the real random source and applies Pearson's chi-square test to the
 * 24 orders of 4 buyers: with 23 degrees of freedom, a fair shuffle exceeds 70.55 with probability 1e-6, so this test
 * fails falsely less than once in a million runs. The same statistic is shown to catch a classic biased shuffle.
 */
class FairnessTest {

    private static final double CHI_SQUARE_23_AT_ONE_IN_A_MILLION = 70.55;
    private static final int SHUFFLES = 48_000;

    /** Pearson's chi-square of the orders {@code shuffle} gives 4 buyers, against all 24 being equally likely. */
    private static double chiSquare(UnaryOperator<List<Integer>> shuffle) {
        Map<List<Integer>, Integer> seen = new HashMap<>();
        List<Integer> buyers = List.of(1, 2, 3, 4);
        for (int i = 0; i < SHUFFLES; i++) {
            seen.merge(shuffle.apply(buyers), 1, Integer::sum);
        }
        double expected = SHUFFLES / 24.0;
        double chi = (24 - seen.size()) * expected; // orders never seen
        for (int count : seen.values()) {
            chi += (count - expected) * (count - expected) / expected;
        }
        return chi;
    }

    @Test
    void thePreQueueShuffleIsUniform() {
        double chi = chiSquare(QueueAdmission::shuffled);
        assertTrue(chi < CHI_SQUARE_23_AT_ONE_IN_A_MILLION, "chi-square " + chi);
    }

    /** The statistic is strong enough: "swap each with any position" (a known bias) fails it. */
    @Test
    void theCheckCatchesABiasedShuffle() {
        Random random = new Random(7);
        double chi = chiSquare(items -> {
            List<Integer> copy = new ArrayList<>(items);
            for (int i = 0; i < copy.size(); i++) {
                Collections.swap(copy, i, random.nextInt(copy.size()));
            }
            return copy;
        });
        assertTrue(chi > CHI_SQUARE_23_AT_ONE_IN_A_MILLION, "chi-square " + chi);
    }

    @Test
    void theDrawnOrderIsAFunctionOfTheSeedAndTheTicketsOnly() {
        String seed = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        List<String> tickets = List.of("AAAAAAAAAAAA", "BBBBBBBBBBBB", "CCCCCCCCCCCC", "DDDDDDDDDDDD");
        List<String> order = DrawSeal.drawnOrder(seed, tickets);
        List<String> reversed = new ArrayList<>(tickets);
        Collections.reverse(reversed);
        assertEquals(order, DrawSeal.drawnOrder(seed, reversed)); // however the entries are listed
        assertEquals(4, order.size());
        assertNotEquals(order, DrawSeal.drawnOrder(seed.replace('0', '1'), tickets)); // another seed, another order
        // The commitment is SHA-256 of the seed's bytes (a known vector: 32 zero bytes).
        assertEquals(
                "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925",
                DrawSeal.commitment("0".repeat(64)));
    }
}
