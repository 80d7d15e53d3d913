package com.sansam.commerce.account.model;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Korean mobile numbers, in one canonical form so that "010-1234-5678", "01012345678" and "+82 10 1234 5678" are one
 * number: E.164 ({@code +821012345678}). Only mobile ranges count (010, and the old 011/016–019): landlines and
 * internet phones (070) cannot receive the code from everywhere and are what a script rents by the hundred.
 */
public final class PhoneNumbers {

    /** The national significant number of a mobile: 10 + 8 digits, or 11/16–19 + 7 or 8 digits. */
    private static final Pattern MOBILE = Pattern.compile("10[0-9]{8}|1[16-9][0-9]{7,8}");

    private static final Pattern SEPARATORS = Pattern.compile("[\\s().-]");

    private PhoneNumbers() {}

    /** The number in E.164 when it is a Korean mobile number, else empty. */
    public static Optional<String> mobile(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String digits = SEPARATORS.matcher(raw.strip()).replaceAll("");
        String national;
        if (digits.startsWith("+82")) {
            national = digits.substring(3);
        } else if (digits.startsWith("0082")) {
            national = digits.substring(4);
        } else if (digits.startsWith("0")) {
            national = digits.substring(1);
        } else {
            return Optional.empty();
        }
        if (national.startsWith("0")) { // "+82 010…": the trunk zero written after the country code
            national = national.substring(1);
        }
        return MOBILE.matcher(national).matches() ? Optional.of("+82" + national) : Optional.empty();
    }

    /** The domestic form an SMS provider in Korea expects: {@code 01012345678}. */
    public static String domestic(String e164) {
        return "0" + e164.substring(3);
    }

    /** What an admin (or a log) may see: {@code 010-****-5678}. */
    public static String masked(String e164) {
        if (e164 == null) {
            return null;
        }
        String domestic = domestic(e164);
        return domestic.substring(0, 3) + "-****-" + domestic.substring(domestic.length() - 4);
    }
}
