package com.sansam.runtime.session;

public enum Role {
    USER,
    ADMIN
}
