package com.sansam.commerce.cart.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "cart_item")
public class CartItem extends PanacheEntityBase {

    public static final int MAX_QUANTITY = 10;
    public static final int MAX_LINES = 50;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_id")
    public Long userId;

    public String sku;

    public int quantity;

    @Column(name = "created_at")
    public Instant createdAt;
}
