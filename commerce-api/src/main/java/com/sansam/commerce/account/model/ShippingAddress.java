package com.sansam.commerce.account.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** Where a user's parcels go. Copied (snapshotted) onto each order. */
@Embeddable
public class ShippingAddress {

    @Column(name = "ship_recipient")
    public String recipient;

    @Column(name = "ship_phone")
    public String phone;

    @Column(name = "ship_zip_code")
    public String zipCode;

    @Column(name = "ship_address1")
    public String address1;

    @Column(name = "ship_address2")
    public String address2;
}
