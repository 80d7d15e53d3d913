package com.sansam.stock.inventory.model;

public enum ReservationStatus {
    HELD,
    COMMITTED,
    RELEASED,
    EXPIRED,
    REJECTED
}
