package com.sansam.stock.inventory.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "reservation")
public class Reservation extends PanacheEntityBase {

    @Id
    @Column(name = "order_id")
    public String orderId;

    @Enumerated(EnumType.STRING)
    public ReservationStatus status;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Uni<Reservation> lock(String orderId) {
        return findById(orderId, LockModeType.PESSIMISTIC_WRITE);
    }

    public static Reservation of(String orderId, ReservationStatus status, Instant expiresAt) {
        Reservation reservation = new Reservation();
        reservation.orderId = orderId;
        reservation.status = status;
        reservation.expiresAt = expiresAt;
        reservation.createdAt = Instant.now();
        reservation.updatedAt = reservation.createdAt;
        return reservation;
    }
}
