package com.sansam.commerce.account.model;

public enum Role {
    USER, ADMIN
}
