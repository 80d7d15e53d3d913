package com.sansam.commerce.deal.model;

/**
 * How a deal decides who buys: {@code OPEN} first come over HTTP; {@code QUEUE} a waiting room (buyers who arrive
 * before the start are shuffled at the start, later ones queue behind in arrival order, and are let in at a rate with a
 * pass to buy); {@code DRAW} entries in a window and winners drawn by a published, verifiable rule.
 */
public enum DealMode {
    OPEN,
    QUEUE,
    DRAW
}
