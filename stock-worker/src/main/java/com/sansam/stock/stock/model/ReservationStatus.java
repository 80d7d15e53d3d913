package com.sansam.stock.stock.model;

public enum ReservationStatus {
    HELD, COMMITTED, RELEASED, EXPIRED, REJECTED
}
