package jp.sekisho.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PolicySnapshotTest {

    private static App app(String id, String host, String... prefixes) {
        return new App(id, id, List.of(host), List.of(prefixes), URI.create("http://127.0.0.1:1"),
                List.of(new AllowRule("r", Set.of("u"), Set.of())), jp.sekisho.policy.mfa.MfaRequirement.NONE, Set.of(),
                jp.sekisho.posture.PostureRequirement.NONE);
    }

    private static final PolicySnapshot SNAPSHOT = new PolicySnapshot("v", List.of(
            app("portal", "portal.example.lg.jp", "/"),
            app("records", "portal.example.lg.jp", "/records"),
            app("records-admin", "portal.example.lg.jp", "/records/admin"),
            app("mail", "mail.example.lg.jp", "/")));

    @ParameterizedTest(name = "{index}: {0}{1} -> {2}")
    @CsvSource(nullValues = "-", textBlock = """
            portal.example.lg.jp, /,                    portal
            portal.example.lg.jp, /records,             records
            portal.example.lg.jp, /records/,            records
            portal.example.lg.jp, /records/123,         records
            portal.example.lg.jp, /recordsX,            portal
            portal.example.lg.jp, /records/admin/users, records-admin
            portal.example.lg.jp, /records/administer,  records
            mail.example.lg.jp,   /inbox,               mail
            other.example.lg.jp,  /,                    -
            """)
    void routesToTheLongestMatchingPrefixOnWholeSegments(String host, String path, String expected) {
        assertEquals(expected, SNAPSHOT.route(host, path).map(App::id).orElse(null));
    }

    @Test
    void twoAppsCannotClaimTheSameHostAndPrefix() {
        assertThrows(IllegalArgumentException.class, () -> new PolicySnapshot("v", List.of(
                app("a", "x.example.lg.jp", "/"), app("b", "x.example.lg.jp", "/"))));
    }

    @Test
    void appsKeepTheirDeclaredOrder() {
        assertEquals(List.of("portal", "records", "records-admin", "mail"),
                SNAPSHOT.apps().stream().map(App::id).toList());
    }

    @org.junit.jupiter.api.Test
    void prefixesRouteWithoutRegardToCaseSoACaseInsensitiveUpstreamCannotBeReachedPastItsGuard() {
        PolicySnapshot snapshot = new PolicySnapshot("v", List.of(app("portal", "city.example", "/"),
                app("secret", "city.example", "/secret")));
        for (String path : List.of("/secret", "/SECRET/data", "/Secret", "/sEcReT/x", "/secret;x=1", "/SECRET;jsessionid=1")) {
            assertEquals("secret", snapshot.route("city.example", path).orElseThrow().id(), path);
        }
        assertEquals("portal", snapshot.route("city.example", "/secretary").orElseThrow().id());
    }
}
