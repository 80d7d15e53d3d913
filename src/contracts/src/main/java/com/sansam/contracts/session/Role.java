package com.sansam.contracts.session;

public enum Role {
    USER,
    ADMIN
}
