package jp.sekisho.policy.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CidrSetTest {

    private static final CidrSet SET = CidrSet.of(List.of("10.0.0.0/8", "192.168.10.0/25", "172.16.0.1",
            "fd00::/8"));

    @ParameterizedTest
    @CsvSource({"10.1.2.3,true", "11.0.0.1,false", "192.168.10.127,true", "192.168.10.128,false",
            "172.16.0.1,true", "172.16.0.2,false", "fd12::1,true", "fe80::1,false", "localhost,false",
            "not-an-ip,false", "10.0.0,false"})
    void matchesAddressesInTheRanges(String address, boolean expected) {
        assertEquals(expected, SET.contains(address));
    }

    @Test
    void refusesHostNamesAndBadPrefixes() {
        assertFalse(CidrSet.isValid("proxy.example.lg.jp"));
        assertFalse(CidrSet.isValid("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> CidrSet.of(List.of("10.0.0.0/x")));
    }
}
