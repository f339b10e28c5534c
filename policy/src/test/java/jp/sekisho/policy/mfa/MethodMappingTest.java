package jp.sekisho.policy.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each IdP's claims prove, row by row: profile, amr, acr, acrs in; canonical methods out. */
class MethodMappingTest {

    /** Administrator entries as a 情報システム課 would configure them for each IdP. */
    private static MethodMapping mapping(String profile) {
        return switch (profile) {
            case "entra" -> new MethodMapping(MethodMapping.Profile.ENTRA, Map.of(), Map.of(),
                    Map.of("c1", List.of("otp"), "c2", List.of("face"), "c3", List.of("hwk", "mfa")));
            case "keycloak" -> new MethodMapping(MethodMapping.Profile.KEYCLOAK, Map.of(),
                    Map.of("1", List.of("pwd"), "2", List.of("pwd", "otp")), Map.of());
            case "okta" -> MethodMapping.parseProfileOnly("okta");
            default -> MethodMapping.rfc8176();
        };
    }

    private static List<String> list(String spaceSeparated) {
        return spaceSeparated == null || spaceSeparated.isBlank() ? List.of()
                : Arrays.asList(spaceSeparated.trim().split("\\s+"));
    }

    @ParameterizedTest(name = "{index}: {0} amr=[{1}] acr={2} acrs=[{3}] -> [{4}]")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            rfc8176  | pwd otp          | -                           | -        | otp pwd
            rfc8176  | face             | -                           | -        | face
            rfc8176  | pwd vendorthing  | -                           | -        | pwd
            rfc8176  | -                | gold                        | -        | -
            entra    | pwd rsa          | -                           | -        | pwd rsa
            entra    | pwd mfa          | -                           | -        | mfa pwd
            entra    | ngcmfa           | -                           | -        | mfa
            entra    | wia              | -                           | -        | pwd
            entra    | fido             | -                           | -        | hwk
            entra    | wiaormfa         | -                           | -        | -
            entra    | -                | -                           | c1       | otp
            entra    | -                | -                           | c2 c3    | face hwk mfa
            entra    | -                | -                           | c9       | -
            keycloak | pwd otp          | 2                           | -        | otp pwd
            keycloak | -                | 1                           | -        | pwd
            keycloak | -                | 2                           | -        | otp pwd
            keycloak | -                | 0                           | -        | -
            okta     | pwd              | urn:okta:loa:1fa:pwd        | -        | pwd
            okta     | -                | urn:okta:loa:2fa:any        | -        | mfa
            okta     | -                | urn:okta:loa:2fa:any:ifpossible | -    | -
            okta     | -                | phr                         | -        | hwk mfa
            okta     | -                | urn:okta:loa:1fa:any        | -        | -
            """)
    void claimsMapToCanonicalMethods(String profile, String amr, String acr, String acrs, String expected) {
        Set<String> methods = mapping(profile).methods(list(amr), acr, list(acrs));
        assertEquals(new TreeSet<>(list(expected)), new TreeSet<>(methods));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            pwd             | 1
            pwd pin         | 1
            pwd otp         | 2
            otp face        | 2
            pwd otp face    | 3
            mfa             | 2
            pwd mfa         | 2
            face            | 1
            """)
    void factorClassesAreCountedOncePerClass(String methods, int classes) {
        assertEquals(classes, AuthMethods.factorClasses(new TreeSet<>(list(methods))));
    }
}
