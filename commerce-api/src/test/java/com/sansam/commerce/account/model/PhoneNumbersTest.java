package com.sansam.commerce.account.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

    @Test
    void everyUsualWayOfWritingAKoreanMobileIsOneNumber() {
        for (String written : new String[] {
            "010-1234-5678",
            "01012345678",
            "010 1234 5678",
            "+82 10-1234-5678",
            "+821012345678",
            "0082 10 1234 5678",
            "+82 010 1234 5678",
            "(010) 1234-5678"
        }) {
            assertEquals(Optional.of("+821012345678"), PhoneNumbers.mobile(written), written);
        }
        assertEquals(Optional.of("+82111234567"), PhoneNumbers.mobile("011-123-4567"));
    }

    @Test
    void landlinesInternetPhonesAndNonsenseAreNotMobiles() {
        for (String written : new String[] {
            "02-123-4567",
            "031-123-4567",
            "070-1234-5678",
            "050-1234-5678",
            "010-1234-567",
            "010-1234-56789",
            "+1 415 555 0100",
            "1012345678",
            "",
            "phone",
            "010-12ab-5678"
        }) {
            assertEquals(Optional.empty(), PhoneNumbers.mobile(written), written);
        }
        assertEquals(Optional.empty(), PhoneNumbers.mobile(null));
    }

    @Test
    void theDomesticAndMaskedForms() {
        assertEquals("01012345678", PhoneNumbers.domestic("+821012345678"));
        assertEquals("010-****-5678", PhoneNumbers.masked("+821012345678"));
    }
}
