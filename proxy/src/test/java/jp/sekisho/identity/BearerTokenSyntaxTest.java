package jp.sekisho.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTokenSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYXRvIn0.c2lnbmF0dXJl", "a-b_c~d+e/f==", "Zz09"})
    void anRfc6750TokenIsTakenFromEitherCaseOfTheScheme(String token) {
        assertEquals(token, BearerAuthenticator.bearerToken("Bearer " + token));
        assertEquals(token, BearerAuthenticator.bearerToken("bearer   " + token + " "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc def", "abc,def", "abc\"def", "abc;def", "abc\u00e9def", "abc\u3042def", "abc\u0000def",
        "abc\u007fdef", "abc\u0080def", "abc\ud800def", " ", ""})
    void anyOtherCharacterMakesTheTokenMalformed(String token) {
        assertNull(BearerAuthenticator.bearerToken("Bearer " + token));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic c2F0bzpwYXNz", "Bearer", "Bearerabc", "Token abc"})
    void anotherSchemeIsNoBearerToken(String authorization) {
        assertNull(BearerAuthenticator.bearerToken(authorization));
    }
}
