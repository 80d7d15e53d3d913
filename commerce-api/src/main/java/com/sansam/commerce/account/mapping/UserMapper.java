package com.sansam.commerce.account.mapping;

import com.sansam.commerce.account.model.AccountDtos.AddressDto;
import com.sansam.commerce.account.model.AccountDtos.AdminUserView;
import com.sansam.commerce.account.model.AccountDtos.UserView;
import com.sansam.commerce.account.model.PhoneNumbers;
import com.sansam.commerce.account.model.ShippingAddress;
import com.sansam.commerce.account.model.User;

public final class UserMapper {

    private UserMapper() {}

    public static UserView toView(User user) {
        return new UserView(
                user.id,
                user.email,
                user.name,
                user.phone,
                toDto(user.shippingAddress),
                user.annualIncome,
                user.emailOptIn,
                user.role,
                user.createdAt,
                user.emailVerified(),
                user.pendingEmail,
                user.phoneVerified() && user.verifiedPhone.equals(user.phone));
    }

    public static AdminUserView toAdminView(User user) {
        return new AdminUserView(
                user.id,
                user.email,
                user.name,
                user.role,
                user.createdAt,
                user.emailVerified(),
                user.emailVerifiedAt,
                user.phoneVerified(),
                PhoneNumbers.masked(user.verifiedPhone),
                user.phoneVerifiedAt);
    }

    public static AddressDto toDto(ShippingAddress address) {
        if (address == null || address.address1 == null) {
            return null;
        }
        return new AddressDto(address.recipient, address.phone, address.zipCode, address.address1, address.address2);
    }

    public static ShippingAddress toEntity(AddressDto dto) {
        ShippingAddress address = new ShippingAddress();
        address.recipient = dto.recipient();
        address.phone = dto.phone();
        address.zipCode = dto.zipCode();
        address.address1 = dto.address1();
        address.address2 = dto.address2();
        return address;
    }
}
